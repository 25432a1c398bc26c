import { CutoverError } from '../core/errors.js';
import type { DeployResult } from '../core/schema/result.js';
import { runDeploy } from '../executor/session/deploy-verb.js';
import { runFollowUp, type FollowUp } from '../executor/session/follow-up-verbs.js';
import type { SessionContext, SessionPolicy } from '../executor/session/session.js';
import { loadChangeset, loadStrategy } from '../inputs/load-inputs.js';
import { lazyRequire } from '../lib/lazy-require.js';
import { reportDeployToRuntime } from '../cli/report-deploy.js';
import type { App } from '../cli/app.js';
import type { EnvironmentLocks } from '../ports/lock.js';
import { anchorJournal } from './audit.js';
import { BackgroundWork } from './background.js';
import { exclusiveLocks } from './exclusive-locks.js';
import { authorize, type Identity } from './identity.js';
import * as inputs from './inputs.js';
import { submitChangeset, type QueuedChangeset } from './submit.js';

const uuid = lazyRequire<typeof import('uuid')>('uuid');

/** A server takes no lock it would have to wait for: a held one is E_LOCK_HELD (409) at once. */
const POLICY: SessionPolicy = { waitMs: 0, onInterrupted: 'rollback' };

/**
 * The operations that change an environment, for a caller other than the CLI (`cutover serve`,
 * an MCP server): each checks the caller's role, validates its input with the schemas of
 * inputs.ts, and runs the verb's own function (runDeploy, runFollowUp, submitChangeset) on a
 * context whose actor is the caller, so the journal records who asked.
 */
export function actingOperations(app: App, log: (line: string) => void) {
  const work = new BackgroundWork(log);
  // one lock store for every request, none of which may take a lease another request holds
  let locks: EnvironmentLocks | undefined;
  const contextOf = (who: Identity): SessionContext => {
    const ctx = app.context(log);
    ctx.actor = who.name;
    ctx.locks = () => (locks ??= exclusiveLocks(app.locks()));
    return ctx;
  };
  const anchor = () => anchorJournal(app, log);

  /** Runs a deploy in the background; answers once it is journaled (see BackgroundWork). */
  const launch = async (who: Identity, deployId: string, run: (ctx: SessionContext) => Promise<unknown>) => {
    const ctx = contextOf(who);
    await work.start(ctx, deployId, () => run(ctx).finally(anchor));
    return { deploy_id: deployId };
  };
  const followUp = async (who: Identity, id: string, asked: FollowUp): Promise<DeployResult | undefined> => {
    try {
      return (await runFollowUp(contextOf(who), id, asked, POLICY)).result;
    } finally {
      await anchor();
    }
  };
  const resultOf = (result: DeployResult | undefined): DeployResult => {
    if (!result) throw new CutoverError('E_INTERNAL', 'the verb ended without a deploy result');
    return result;
  };

  return {
    work,
    /** `deploy`: answers with the new deploy's id once its request is journaled */
    async deploy(who: Identity, body: unknown): Promise<{ deploy_id: string }> {
      authorize(who, 'deploy', 'deploy');
      const input = inputs.parseInput(inputs.deployInput, body, 'body');
      const strategy = inputs.strategyOf(input.strategy);
      const changesets = input.changesets.map((path) => loadChangeset(path));
      const deployId = uuid().v7();
      return launch(who, deployId, async (ctx) => {
        const order = { ...POLICY, deployId, environment: input.environment, strategy, changesets };
        const outcome = await runDeploy(ctx, { ...order, queued: false });
        if (outcome) await reportDeployToRuntime(app, outcome.applyEnvironment, outcome.result);
      });
    },
    async submit(who: Identity, body: unknown): Promise<QueuedChangeset> {
      authorize(who, 'deploy', 'submit');
      const input = inputs.parseInput(inputs.submitInput, body, 'body');
      const strategy = input.strategy === undefined ? null : inputs.strategyOf(input.strategy);
      return submitChangeset(contextOf(who), loadChangeset(input.changeset), strategy, input.environment);
    },
    /** `approve`: answers with the follow-up deploy's id once it is journaled, as deploy does */
    async approve(who: Identity, id: string, body: unknown): Promise<{ deploy_id: string }> {
      authorize(who, 'approve', 'approve');
      const { strategy } = inputs.parseInput(inputs.approveInput, body ?? {}, 'body');
      const newDeployId = uuid().v7();
      const asked: FollowUp = { verb: 'approve', strategy: loadStrategy(strategy), newDeployId };
      return launch(who, newDeployId, (ctx) => runFollowUp(ctx, id, asked, POLICY));
    },
    async reject(
      who: Identity,
      id: string,
      body: unknown,
    ): Promise<{ deploy_id: string; state: 'rejected' }> {
      authorize(who, 'approve', 'reject');
      inputs.parseInput(inputs.noInput, body ?? {}, 'body');
      const { deployId } = await runFollowUp(contextOf(who), id, { verb: 'reject' }, POLICY).finally(anchor);
      return { deploy_id: deployId, state: 'rejected' };
    },
    async promote(who: Identity, id: string, body: unknown): Promise<DeployResult> {
      authorize(who, 'deploy', 'promote');
      inputs.parseInput(inputs.noInput, body ?? {}, 'body');
      return resultOf(await followUp(who, id, { verb: 'promote' }));
    },
    async abort(who: Identity, id: string, body: unknown): Promise<DeployResult> {
      authorize(who, 'deploy', 'abort');
      const { reason } = inputs.parseInput(inputs.abortInput, body ?? {}, 'body');
      return resultOf(await followUp(who, id, { verb: 'abort', reason }));
    },
    async rollback(who: Identity, id: string, body: unknown): Promise<DeployResult> {
      authorize(who, 'deploy', 'rollback');
      const { reason, force } = inputs.parseInput(inputs.rollbackInput, body ?? {}, 'body');
      return resultOf(await followUp(who, id, { verb: 'rollback', reason, force }));
    },
  };
}

export type ActingOperations = ReturnType<typeof actingOperations>;
