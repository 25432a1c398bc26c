import { hostname } from 'node:os';
import { CutoverError } from '../../core/errors.js';
import type { DeployResult } from '../../core/schema/result.js';
import type { EnvironmentLocks, LockHandle, LockInfo } from '../../ports/lock.js';
import type { ChangesetQueue } from '../../ports/queue.js';
import type { ExecutorContext } from '../context.js';
import { appendPatiently, JOURNAL_PATIENCE_MS } from '../journal-patience.js';
import { DeployRecorder } from '../recorder.js';
import type { OnInterrupted } from '../recover.js';
import { recoverEnvironment } from './recover-environment.js';

/** What a command on an environment acts through besides the loop's ports; opened lazily. */
export interface SessionContext extends ExecutorContext {
  locks(): EnvironmentLocks;
  /** the changesets `submit` queued, which `deploy --queued` takes as one train */
  queue(): ChangesetQueue;
}

/** How a verb takes its environment: how long it waits for the lock, what it does with a dead deploy. */
export interface SessionPolicy {
  waitMs: number;
  onInterrupted: OnInterrupted;
}

export interface SessionOptions extends SessionPolicy {
  /** the verb, for the lock's owner: `deploy`, `promote`, … */
  command: string;
  reason: string;
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
 * See docs/architecture.md#recovery-locks-and-takeover.
 */
export async function withEnvironment<T>(
  ctx: SessionContext,
  environment: string,
  options: SessionOptions,
  act: (session: Session) => Promise<T>,
): Promise<T> {
  const lock = await ctx.locks().acquire(
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
      ttlMs: ctx.config.lock.ttl,
      waitMs: options.waitMs,
      onWait: (h) =>
        ctx.progress(
          `cutover: waiting for ${environment}'s lock, held by ${h.owner.user}@${h.owner.host} (pid ${h.owner.pid}, ${h.owner.command})`,
        ),
    },
  );
  let failed = false;
  try {
    // A restart of a shared store is ridden out (PostgreSQL's E_STATE_UNAVAILABLE): the lease
    // is still ours when it comes back unless someone took it over, which the check then says.
    ctx.guard = () =>
      appendPatiently(
        ctx,
        `check the lease on ${environment}`,
        ctx.clock.now().getTime() + JOURNAL_PATIENCE_MS,
        () => lock.assertHeld(),
        async () => undefined,
      );
    ctx.fence = lock.fence;
    await journalTakeover(ctx, lock);
    const recovered = await recoverEnvironment(ctx, environment, options.onInterrupted);
    const stuck = recovered.find((r) => r.rollback?.status === 'failed');
    if (stuck && !options.afterFailedRecovery)
      throw new CutoverError(
        'E_APPLY_FAILED',
        `${environment} is not in a known state: deploy ${stuck.deploy_id} could not be rolled back (${stuck.reason}); fix the cause, then run cutover rollback ${stuck.deploy_id}`,
      );
    return await act({ lock, recovered });
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    ctx.guard = undefined;
    ctx.fence = undefined;
    // the store that failed the act often fails the release too: that must not hide why
    await lock.release().catch((err: unknown) => {
      if (!failed) throw err;
    });
  }
}

async function journalTakeover(ctx: ExecutorContext, lock: LockHandle): Promise<void> {
  const previous = lock.takenOver;
  if (!previous) return;
  const describe = ({ owner }: LockInfo) => `${owner.user}@${owner.host} pid ${owner.pid} (${owner.command})`;
  const holder = describe(previous);
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
    new_holder: describe(lock.info),
    reason: why,
  });
}
