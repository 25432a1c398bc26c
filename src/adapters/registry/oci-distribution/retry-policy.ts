import { setTimeout as sleep } from 'node:timers/promises';
import { isTransientNetworkError } from './registry-errors.js';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  /** Delay before the second attempt, in ms; doubles each time up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected for tests; defaults to Math.random and timers/promises. */
  random?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 };

/** Statuses that say "not now" rather than "not this": server trouble and rate limits. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/**
 * 4xx answers are final; a connection that broke mid-request may be tried again. Looks through
 * the cause chain, so a single-attempt request's CutoverError still tells its caller to retry.
 */
export function isRetryableError(err: unknown): boolean {
  if (isTransientNetworkError(err)) return true;
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof RetryableStatusError) return true;
  }
  return false;
}

/** Thrown inside an attempt to ask for another one; carries the answer for the last report. */
export class RetryableStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

/**
 * Full-jitter exponential backoff: the delay before attempt n is random in
 * [0, min(max, base·2^(n-1))], so many clients retrying at once spread out.
 */
export function computeBackoff(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (policy.random ?? Math.random)());
}

/** Runs `attempt` until it succeeds, throws a final error, or the attempts are used up. */
export async function runWithRetry<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (n >= policy.attempts || !isRetryableError(err)) throw err;
      const hinted = err instanceof RetryableStatusError ? err.retryAfterMs : undefined;
      const delay = hinted !== undefined ? Math.min(hinted, policy.maxDelayMs) : computeBackoff(policy, n);
      await (policy.sleep ?? sleep)(delay);
    }
  }
}

/** `Retry-After` in seconds (dates are rare from registries and ignored). */
export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim()) * 1000;
}
