import { canonicalJson } from '../../core/canonical-json.js';
import { CutoverError } from '../../core/errors.js';
import type { Journal } from '../../ports/journal.js';
import { APPEND_STATEMENT, staleFence, type AppendOutcome } from '../postgres/append-statement.js';
import type { StoreQuery, StoreTransaction } from '../postgres/open-store.js';
import { hashRow } from './hash-chain.js';
import { seqConflict } from './journal-errors.js';

const LOCK_HEAD = 'SELECT id, hash FROM cutover.chain_head WHERE one = 1 FOR UPDATE';

/**
 * The PostgreSQL journal's `append`: one statement on the chain head this journal last saw, so a
 * lone executor appends in one round trip; after another executor's append, the head is locked
 * and the statement run again on it. This process's appends go one at a time, so they never race
 * each other for the head. `label` names the store in errors.
 */
export function postgresAppend(
  query: StoreQuery,
  transaction: StoreTransaction,
  label: string,
): Journal['append'] {
  /** the chain head as this journal last saw it: what the next append hashes on */
  let known: { id: number; hash: string } | null = null;
  const headMissing = () =>
    new CutoverError(
      'E_JOURNAL_CORRUPT',
      `${label}: the chain_head row is missing (deleted); cutover audit verify says more`,
    );
  const readHead = async () => {
    const [head] = await query<{ id: string; hash: string }>(
      'cutover.journal-read-head',
      'SELECT id, hash FROM cutover.chain_head WHERE one = 1',
    );
    if (!head) throw headMissing();
    return { id: Number(head.id), hash: head.hash };
  };

  const appendOnce: Journal['append'] = async (deployId, expectedSeq, at, event, fence) => {
    const attempt = async (run: StoreQuery, prev: { id: number; hash: string }) => {
      const row = { id: prev.id + 1, deploy_id: deployId, seq: expectedSeq + 1, at: at.toISOString() };
      const hash = hashRow(prev.hash, { ...row, event });
      const [found] = await run<AppendOutcome>('cutover.journal-append', APPEND_STATEMENT, [
        ...[row.id, deployId, row.seq, row.at, event.type, canonicalJson(event), prev.hash, hash],
        ...[fence?.environment ?? null, fence?.token ?? null],
      ]);
      if (!found) throw headMissing();
      known = found.appended ? { id: row.id, hash } : { id: Number(found.head_id), hash: found.head_hash };
      if (found.appended) return { ...row, event, prev_hash: prev.hash, hash };
      // Before the seq: a stalled holder is behind on both, and the stale lease is the cause.
      const current = Number(found.token ?? 0);
      if (fence && current !== fence.token) throw staleFence(deployId, fence, current);
      if (known.id === prev.id && known.hash === prev.hash)
        throw seqConflict(deployId, found.last_seq, expectedSeq);
      return null;
    };
    const done = await attempt(query, (known ??= await readHead()));
    if (done) return done;
    const settled = await transaction(async (db) => {
      const run: StoreQuery = async (name, text, values) => (await db.query({ name, text, values })).rows;
      const [head] = await run<{ id: string; hash: string }>('cutover.journal-lock-head', LOCK_HEAD);
      if (!head) throw headMissing();
      return attempt(run, { id: Number(head.id), hash: head.hash });
    });
    // locked, the statement cannot find the head moved: that would be a broken server
    if (!settled) throw new CutoverError('E_JOURNAL_CORRUPT', `${label}: the locked chain head moved`);
    return settled;
  };

  let queue: Promise<unknown> = Promise.resolve();
  return (deployId, expectedSeq, at, event, fence) => {
    const appended = queue.then(() => appendOnce(deployId, expectedSeq, at, event, fence));
    queue = appended.catch(() => undefined);
    return appended;
  };
}
