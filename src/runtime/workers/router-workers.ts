import type { Server } from 'node:net';
import type { Logger } from '../../lib/logger.js';
import { addCounters, zeroCounters } from '../http/router-limits.js';
import { addTotals, emptyTotals } from '../http/request-totals.js';
import { emptySampleBatch, type ProcessCounters, type SampleBatch, type WireTable } from './router-wire.js';
import { WorkerLink, type WorkerPlace } from './worker-link.js';

const ANSWER_MS = 5000;
// Views wait this long at most for in-flight counts: status must answer even with a slow process.
const COUNTERS_MS = 1000;
// A router process closing an environment lets keep-alive clients finish for 5 s (closeServer).
const CLOSE_MS = 8000;
const RESTART_MIN_MS = 200;
const RESTART_MAX_MS = 5000;
// A process that lived this long was healthy: its next restart starts from RESTART_MIN_MS again.
const STABLE_MS = 10_000;

interface Shared {
  server: Server | null;
  table: WireTable | null;
}

/**
 * The router processes beside the daemon: each accepts on every environment's listening socket
 * (the kernel hands each new connection to one of them, the daemon included) and routes with the
 * table the daemon last sent. The daemon stays the one owner of routing: it sends each change to
 * every process and waits for all of them, asks them to drain a version before stopping it, and
 * gathers their request samples for metrics. A process that dies is started again and handed
 * every listener and table; its open connections are lost, as with any crashed proxy.
 */
export class RouterWorkers {
  private readonly links: WorkerLink[] = [];
  private readonly environments = new Map<string, Shared>();
  private readonly startedAt: number[] = [];
  private readonly restartDelay: number[] = [];
  private stopped = false;

  constructor(
    count: number,
    private readonly place: WorkerPlace,
    private readonly logger: Logger,
  ) {
    for (let i = 0; i < count; i++) this.spawn(i, RESTART_MIN_MS);
  }

  /** processes accepting on each router port, the daemon included */
  get processCount(): number {
    return this.links.length + 1;
  }

  /** pids of the router processes, the daemon's not included */
  pids(): number[] {
    return this.links.map((link) => link.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** Every process accepts on `server` too (replacing what it had for the environment). */
  async listen(environment: string, server: Server): Promise<void> {
    const shared = this.shared(environment);
    if (shared.server === server || !server.listening) return;
    shared.server = server;
    await this.all((link) => link.request({ type: 'listen', environment }, null, ANSWER_MS, server));
  }

  /** Resolves once every process routes with `table`. */
  async setTable(environment: string, table: WireTable): Promise<void> {
    this.shared(environment).table = table;
    await this.all((link) => link.request({ type: 'table', environment, table }, null, ANSWER_MS));
  }

  /** Every process stops accepting for the environment and lets its requests finish. */
  async close(environment: string): Promise<void> {
    this.environments.delete(environment);
    await this.all((link) => link.request({ type: 'close', environment }, null, CLOSE_MS));
  }

  /** True when no process has a request to the version in flight any more (it is out of routing). */
  async drain(environment: string, digest: string, timeoutMs: number): Promise<boolean> {
    const command = { type: 'drain', environment, digest, timeoutMs } as const;
    const drained = await this.all((link) => link.request(command, true, timeoutMs + ANSWER_MS));
    return drained.every(Boolean);
  }

  /** The requests the processes finished for `digests` in the last `windowMs`. */
  async samples(environment: string, digests: string[], windowMs: number): Promise<SampleBatch[]> {
    const command = { type: 'samples', environment, digests, windowMs } as const;
    return this.all((link) => link.request(command, emptySampleBatch(), ANSWER_MS));
  }

  /** In-flight requests and 502s per digest, and what the fronts refused, summed over the processes. */
  async counters(environment: string): Promise<ProcessCounters> {
    const none: ProcessCounters = { backends: {}, front: zeroCounters() };
    const all = await this.all((link) =>
      link.request<ProcessCounters>({ type: 'counters', environment }, none, COUNTERS_MS),
    );
    const sum: ProcessCounters = { backends: {}, front: zeroCounters() };
    for (const counters of all) {
      addCounters(sum.front, counters.front);
      for (const [digest, c] of Object.entries(counters.backends)) {
        const total = (sum.backends[digest] ??= { inflight: 0, proxyErrors: 0, totals: emptyTotals() });
        total.inflight += c.inflight;
        total.proxyErrors += c.proxyErrors;
        if (c.totals) addTotals(total.totals!, c.totals);
      }
    }
    return sum;
  }

  /** Ends every process; call once the environments are closed. */
  stop(): void {
    this.stopped = true;
    for (const link of this.links) link.stop();
  }

  private all<T>(ask: (link: WorkerLink) => Promise<T>): Promise<T[]> {
    return Promise.all(this.links.map(ask));
  }

  private shared(environment: string): Shared {
    let shared = this.environments.get(environment);
    if (!shared) this.environments.set(environment, (shared = { server: null, table: null }));
    return shared;
  }

  private spawn(index: number, delayIfItDies: number): void {
    const link = new WorkerLink(index, this.place, this.logger, (gone, code, signal) =>
      this.onExit(gone, code, signal),
    );
    this.links[index] = link;
    this.startedAt[index] = Date.now();
    this.restartDelay[index] = delayIfItDies;
    for (const [environment, shared] of this.environments) {
      // The table goes first: once the process has the server it accepts, and Node holds back
      // messages sent after a handle until the child acknowledges it, so a table sent second
      // would leave it answering 503 to fresh connections for a round trip.
      if (shared.table)
        void link.request({ type: 'table', environment, table: shared.table }, null, ANSWER_MS);
      // A server closed since (its router moved or stopped) has nothing left to share.
      if (shared.server?.listening) {
        void link.request({ type: 'listen', environment }, null, ANSWER_MS, shared.server);
      }
    }
  }

  private onExit(link: WorkerLink, code: number | null, signal: string | null): void {
    if (this.stopped || this.links[link.index] !== link) return;
    const i = link.index;
    const stable = Date.now() - (this.startedAt[i] ?? 0) > STABLE_MS;
    const delay = stable ? RESTART_MIN_MS : (this.restartDelay[i] ?? RESTART_MIN_MS);
    this.logger.error('Router process exited, starting it again', {
      index: i,
      code,
      signal,
      delay_ms: delay,
    });
    setTimeout(() => {
      if (!this.stopped) this.spawn(i, Math.min(delay * 2, RESTART_MAX_MS));
    }, delay).unref();
  }
}
