/**
 * The longest delay a Node timer holds: 2^31−1 ms, about 24.8 days. A longer one is not clamped
 * but replaced by 1 ms (with a TimeoutOverflowWarning), so a 30-day wait would end at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimeout {
  clear(): void;
  /** like Timeout.unref(): this timer alone does not keep the process alive */
  unref(): LongTimeout;
}

/**
 * setTimeout for any delay a user may give (durations go up to 30 days): a delay longer than
 * {@link MAX_TIMER_MS} is waited in chunks Node can hold, so `fn` runs after `ms`, never early.
 */
export function setLongTimeout(fn: () => void, ms: number): LongTimeout {
  let left = ms;
  let timer: NodeJS.Timeout;
  let unref = false;
  const arm = (): void => {
    const chunk = Math.min(left, MAX_TIMER_MS);
    left -= chunk;
    timer = setTimeout(left > 0 ? arm : fn, chunk);
    if (unref) timer.unref();
  };
  arm();
  const handle: LongTimeout = {
    clear: () => clearTimeout(timer),
    unref: () => {
      unref = true;
      timer.unref();
      return handle;
    },
  };
  return handle;
}

/** Resolves after `ms`, however long (see {@link setLongTimeout}). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setLongTimeout(resolve, ms));
}
