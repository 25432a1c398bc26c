import type pg from 'pg';
import { CutoverError } from '../../core/errors.js';
import type { Fence } from '../../ports/lock.js';

/**
 * Refuses an append whose lease was succeeded. FOR SHARE orders it against an acquisition, which
 * locks the same row FOR UPDATE: one that committed first is seen here, one that comes after
 * waits for this append to commit, so no append of an old holder lands after a takeover.
 */
export async function checkFence(db: pg.PoolClient, deployId: string, fence: Fence): Promise<void> {
  const found = await db.query<{ token: string }>({
    name: 'cutover.journal-fence',
    text: 'SELECT token FROM cutover.fences WHERE environment = $1 FOR SHARE',
    values: [fence.environment],
  });
  const current = Number(found.rows[0]?.token ?? 0);
  if (current === fence.token) return;
  throw new CutoverError(
    'E_STALE_FENCING_TOKEN',
    `deploy ${deployId}: append refused: the lease on ${fence.environment} with fencing token ${fence.token} was taken over (the current token is ${current}); this executor stalled past its lease and stops`,
    { deploy_id: deployId, environment: fence.environment, token: fence.token, current },
  );
}
