import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/**
 * The longest duration cutover accepts anywhere: 30 days. Anything longer is a typo (a unit, a
 * digit too many), and a bound keeps every deadline a valid date. Node timers hold at most
 * 2^31−1 ms (24.8 days), so waits that may be longer are chunked (src/lib/long-timeout.ts).
 */
export const MAX_DURATION_MS = 30 * 24 * 3_600_000;
const MAX_TEXT = '720h (30 days)';
// An echoed value is cut here: a problem line stays readable whatever the file holds.
const MAX_ECHO = 40;

export type DurationReading = { ok: true; ms: number } | { ok: false; problem: string };

/**
 * Reads `500ms`, `30s`, `2m`, `1h` (or a bare number of seconds) as milliseconds: finite, at most
 * {@link MAX_DURATION_MS}, and more than 0 unless `allowZero` (where 0 means "do not wait").
 */
export function readDuration(value: string | number, allowZero = false): DurationReading {
  const ms = toMs(value);
  if (ms === undefined) {
    const text = String(value);
    const shown = text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;
    return { ok: false, problem: `"${shown}" is not a duration (use e.g. 500ms, 30s, 2m, 1h)` };
  }
  if (ms > MAX_DURATION_MS) return { ok: false, problem: `must be at most ${MAX_TEXT}` };
  if (ms === 0 && !allowZero) return { ok: false, problem: 'must be more than 0' };
  return { ok: true, ms };
}

/** Milliseconds, possibly Infinity (a 400-digit number is a duration, just far too long). */
function toMs(value: string | number): number | undefined {
  if (typeof value === 'number')
    return Number.isNaN(value) || value < 0 ? undefined : Math.round(value * 1000);
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

// z.number() refuses Infinity and NaN, which must get the duration's own message here.
const durationInput = z
  .custom<string | number>((v) => typeof v === 'string' || typeof v === 'number', {
    message: 'must be a duration (use e.g. 500ms, 30s, 2m, 1h)',
  })
  .meta({ type: ['string', 'number'], description: '500ms, 30s, 2m, 1h, or a number of seconds' });

const durationField = (allowZero: boolean) =>
  durationInput.transform((value, ctx) => {
    const reading = readDuration(value, allowZero);
    if (reading.ok) return reading.ms;
    ctx.addIssue({ code: 'custom', message: reading.problem });
    return z.NEVER;
  });

/** A duration field: `2m`/`30s`/`500ms` or seconds, yields milliseconds; more than 0, at most 30 days. */
export const durationSchema = durationField(false);

/** A duration where 0 means "do not wait" (a drain timeout): at least 0, at most 30 days. */
export const durationOrZeroSchema = durationField(true);
