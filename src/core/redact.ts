/**
 * Secret redaction: the last line of defence for text that came from outside cutover (a build's
 * output, an app's log, a server's answer) before it reaches a message, a log or the journal.
 * Pure: the secret values are passed in (see `configuredSecrets` in src/inputs/secrets.ts).
 */

export const REDACTED = '***';
/** A very short "secret" would only garble ordinary words, so it is left alone. */
export const MIN_REDACTED_LENGTH = 6;

/** `text` with every occurrence of every secret (longest first) replaced by `***`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of usable(secrets)) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** A copy of a JSON-like value with every string redacted; the same value when nothing changed. */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (usable(secrets).length === 0) return value;
  return walk(value, usable(secrets)) as T;
}

function walk(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) {
    const mapped = value.map((v) => walk(v, secrets));
    return mapped.every((v, i) => v === value[i]) ? value : mapped;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const w = walk(v, secrets);
      changed ||= w !== v;
      out[key] = w;
    }
    return changed ? out : value;
  }
  return value;
}

function usable(secrets: readonly string[]): string[] {
  return [...new Set(secrets)]
    .filter((s) => s.length >= MIN_REDACTED_LENGTH)
    .sort((a, b) => b.length - a.length);
}
