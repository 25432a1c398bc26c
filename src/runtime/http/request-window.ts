import { RequestTotals } from './request-totals.js';

/** A finished request as the router saw it. */
export interface RequestSample {
  /** `performance.now()` when the response finished */
  at: number;
  latencyMs: number;
  status: number;
}

const INITIAL_CAPACITY = 4096;
// 2^20 requests ≈ 10 min at 1,700 rps; beyond that the window holds the most recent million,
// which is what its statistics then describe (and `samples` says so).
const MAX_CAPACITY = 1 << 20;

/**
 * Ring buffer of the last requests of one version, in typed arrays so that recording a request
 * allocates nothing. Grows by doubling up to MAX_CAPACITY, then overwrites the oldest.
 */
export class RequestWindow {
  private at = new Float64Array(INITIAL_CAPACITY);
  private latency = new Float32Array(INITIAL_CAPACITY);
  private status = new Uint16Array(INITIAL_CAPACITY);
  private next = 0;
  private size = 0;
  /** what `/metrics` exposes: never forgotten, unlike the window */
  readonly totals = new RequestTotals();

  record(at: number, latencyMs: number, status: number): void {
    this.totals.add(latencyMs, status);
    if (this.size === this.at.length && this.size < MAX_CAPACITY) this.grow();
    const i = this.next;
    this.at[i] = at;
    this.latency[i] = latencyMs;
    this.status[i] = status;
    this.next = i + 1 === this.at.length ? 0 : i + 1;
    if (this.size < this.at.length) this.size++;
  }

  /** Calls `visit(latencyMs, status)` for each request that finished at or after `since`. */
  forEachSince(since: number, visit: (latencyMs: number, status: number) => void): void {
    const capacity = this.at.length;
    let i = this.next;
    for (let n = 0; n < this.size; n++) {
      i = i === 0 ? capacity - 1 : i - 1;
      if ((this.at[i] as number) < since) return;
      visit(this.latency[i] as number, this.status[i] as number);
    }
  }

  private grow(): void {
    const capacity = this.at.length * 2;
    const at = new Float64Array(capacity);
    const latency = new Float32Array(capacity);
    const status = new Uint16Array(capacity);
    // Unroll the ring so the oldest sample lands at index 0.
    const head = this.at.length - this.next;
    at.set(this.at.subarray(this.next), 0);
    at.set(this.at.subarray(0, this.next), head);
    latency.set(this.latency.subarray(this.next), 0);
    latency.set(this.latency.subarray(0, this.next), head);
    status.set(this.status.subarray(this.next), 0);
    status.set(this.status.subarray(0, this.next), head);
    this.at = at;
    this.latency = latency;
    this.status = status;
    this.next = this.size;
  }
}
