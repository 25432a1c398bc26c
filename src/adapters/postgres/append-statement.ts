import { CutoverError } from '../../core/errors.js';
import type { Fence } from '../../ports/lock.js';

/**
 * One journal append as one statement, so an append costs one round trip. It inserts the row
 * only if the chain head is still the one the row was hashed on ($1 - 1, $7), the deploy's last
 * seq is $3 - 1 and, with a fence ($9, $10), the lease's token is still current; either way it
 * returns what it found, so the caller can say which check failed or hash again on the new head.
 *
 * Why it is safe under READ COMMITTED: the head is locked FOR UPDATE, which returns its latest
 * version once the lock is ours. If that is still the head the caller knew, nothing was appended
 * since the caller learned it, before this statement's snapshot, so the snapshot's `max(seq)` is
 * the deploy's real last seq. The fence row is read FOR SHARE, against an acquisition's
 * FOR UPDATE: one that committed first is seen, one that comes after waits for this append.
 */
export const APPEND_STATEMENT = `
WITH head AS (SELECT id, hash FROM cutover.chain_head WHERE one = 1 FOR UPDATE),
  fence AS (SELECT token FROM cutover.fences WHERE environment = $9 FOR SHARE),
  last AS (SELECT coalesce(max(seq), 0) AS seq FROM cutover.events WHERE deploy_id = $2),
  ok AS (
    SELECT 1 FROM head, last
     WHERE head.id = $1 - 1 AND head.hash = $7 AND last.seq = $3 - 1
       AND ($9::text IS NULL OR coalesce((SELECT token FROM fence), 0) = $10)),
  appended AS (
    INSERT INTO cutover.events (id, deploy_id, seq, at, type, data, prev_hash, hash)
    SELECT $1, $2, $3, $4, $5, $6, $7, $8 FROM ok RETURNING id),
  moved AS (UPDATE cutover.chain_head SET id = $1, hash = $8 WHERE one = 1 AND EXISTS (SELECT 1 FROM appended))
SELECT head.id AS head_id, head.hash AS head_hash, (SELECT seq FROM last) AS last_seq,
  (SELECT token FROM fence) AS token, EXISTS (SELECT 1 FROM appended) AS appended
  FROM head`;

/** What the statement found; `head_id` and `token` are int8, which pg returns as text. */
export interface AppendOutcome {
  head_id: string;
  head_hash: string;
  last_seq: number;
  token: string | null;
  appended: boolean;
}

/** The error for an append whose lease was succeeded. */
export function staleFence(deployId: string, fence: Fence, current: number): CutoverError {
  return new CutoverError(
    'E_STALE_FENCING_TOKEN',
    `deploy ${deployId}: append refused: the lease on ${fence.environment} with fencing token ${fence.token} was taken over (the current token is ${current}); this executor stalled past its lease and stops`,
    { deploy_id: deployId, environment: fence.environment, token: fence.token, current },
  );
}
