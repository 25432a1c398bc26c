import { createHash } from 'node:crypto';
import { evaluateFlag, type Evaluation } from './evaluate-flag.js';
import type { EnvironmentFlag } from './flag-reader.js';

/** A bulk answer: the body to send, or nothing when the client's copy is current. */
export type BulkAnswer = { status: 200; etag: string; body: Buffer } | { status: 304; etag: string };

/**
 * Evaluates every flag of the store for one context. The ETag is a hash of the answer itself, so
 * it changes when, and only when, the answer for this context does: providers polling with
 * `If-None-Match` get a 304 until a flag changes. A flag that cannot be evaluated (a rollout asked without a
 * targetingKey) is listed with its errorCode; the others are still answered.
 */
export function evaluateAll(
  flags: EnvironmentFlag[],
  targetingKey: string | null,
  ifNoneMatch: string | undefined,
): BulkAnswer {
  const evaluations: Evaluation[] = flags.map((flag) => evaluateFlag(flag.name, flag, targetingKey));
  const body = Buffer.from(JSON.stringify({ flags: evaluations }));
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  if (ifNoneMatch !== undefined && matchesAny(ifNoneMatch, etag)) return { status: 304, etag };
  return { status: 200, etag, body };
}

/** `If-None-Match` compares weakly (RFC 9110 §13.1.2): `W/"x"` matches `"x"`; `*` matches anything. */
function matchesAny(header: string, etag: string): boolean {
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || (tag.startsWith('W/') ? tag.slice(2) : tag) === etag;
  });
}
