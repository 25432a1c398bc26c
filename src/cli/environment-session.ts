import { hostname } from 'node:os';
import { CutoverError } from '../core/errors.js';
import type { DeployResult } from '../core/schema/result.js';
import type { ExecutorContext } from '../executor/context.js';
import { driveDeploy } from '../executor/drive-deploy.js';
import { DeployRecorder } from '../executor/recorder.js';
import { deadlineDueIn } from '../executor/pending-work.js';
import { findInterrupted, openDeploys, recoverDeploy, type OnInterrupted } from '../executor/recover.js';
import type { LockHandle } from '../ports/lock.js';
import type { App } from './app.js';

export interface SessionOptions {
  /** the verb, for the lock's owner: `deploy`, `promote`, … */
  command: string;
  reason: string;
  waitMs: number;
  onInterrupted: OnInterrupted;
  deployId?: string;
  /** recover and rollback act even when a recovered deploy could not be undone: they are the fix */
  afterFailedRecovery?: boolean;
}

export interface Session {
  lock: LockHandle;
  /** deploys this session found interrupted (or past a deadline) and brought to an end first */
  recovered: DeployResult[];
}

/**
 * Everything that changes an environment runs inside one of these: it holds the environment's
 * lock (so two deploys never interleave), then finishes what a dead executor left behind and
 * applies deadlines that passed, and only then runs `act`. The lock is released on every path.
 */
export async function withEnvironment<T>(
  app: App,
  ctx: ExecutorContext,
  environment: string,
  options: SessionOptions,
  act: (session: Session) => Promise<T>,
): Promise<T> {
  const lock = await app.locks().acquire(
    environment,
    {
      user: ctx.actor,
      host: hostname(),
      pid: process.pid,
      command: `cutover ${options.command}`,
      deploy_id: options.deployId ?? null,
    },
    options.reason,
    {
      ttlMs: app.config.lock.ttl,
      waitMs: options.waitMs,
      onWait: (h) =>
        ctx.progress(
          `cutover: waiting for ${environment}'s lock, held by ${h.owner.user}@${h.owner.host} (pid ${h.owner.pid}, ${h.owner.command})`,
        ),
    },
  );
  try {
    ctx.guard = () => lock.assertHeld();
    await journalTakeover(ctx, lock);
    const recovered = await recoverEnvironment(ctx, environment, options.onInterrupted);
    const stuck = recovered.find((r) => r.rollback?.status === 'failed');
    if (stuck && !options.afterFailedRecovery)
      throw new CutoverError(
        'E_APPLY_FAILED',
        `${environment} is not in a known state: deploy ${stuck.deploy_id} could not be rolled back (${stuck.reason}); fix the cause, then run cutover rollback ${stuck.deploy_id}`,
      );
    return await act({ lock, recovered });
  } finally {
    ctx.guard = undefined;
    await lock.release();
  }
}

async function journalTakeover(ctx: ExecutorContext, lock: LockHandle): Promise<void> {
  const previous = lock.takenOver;
  if (!previous) return;
  const holder = `${previous.owner.user}@${previous.owner.host} pid ${previous.owner.pid} (${previous.owner.command})`;
  const why =
    Date.parse(previous.expires_at) < ctx.clock.now().getTime()
      ? `expired at ${previous.expires_at}`
      : 'its process is gone';
  ctx.progress(`cutover: took over ${previous.environment}'s lock from ${holder}: ${why}`);
  if (!previous.owner.deploy_id) return;
  const rec = await DeployRecorder.find(ctx, previous.owner.deploy_id);
  if (!rec) return;
  await rec.record({
    type: 'LOCK_TAKEN_OVER',
    environment: previous.environment,
    previous_holder: holder,
    reason: why,
  });
}

/** Interrupted deploys first (oldest first), then deadlines of finished ones. */
export async function recoverEnvironment(
  ctx: ExecutorContext,
  environment: string,
  onInterrupted: OnInterrupted,
): Promise<DeployResult[]> {
  const results: DeployResult[] = [];
  // One read of the journal for both passes: recovering a deploy updates its recorder in place.
  const deploys = await openDeploys(ctx);
  for (const rec of findInterrupted(deploys, environment))
    results.push(await recoverDeploy(ctx, rec, onInterrupted));
  for (const rec of deploys) {
    const due = deadlineDueIn(rec, environment, ctx.clock.now());
    if (!due) continue;
    ctx.progress(
      `cutover: deploy ${rec.deployId}: ${due.name} deadline passed at ${due.deadline}; ${due.action}`,
    );
    await rec.record({ type: 'DEADLINE_FIRED', ...due });
    if (due.action !== 'reject') results.push(await driveDeploy(ctx, rec));
  }
  return results;
}
