import { environmentNames } from '../core/environments.js';
import type { App } from '../cli/app.js';
import { auditState } from './audit.js';
import { listDeploys, readDeploy } from './deploy-reads.js';
import { deployAnalysis, deployTimeline } from './deploy-views.js';
import { getFlag, setFlag } from './flags.js';
import { authorize, type Identity } from './identity.js';
import * as inputs from './inputs.js';
import { checkEnvironment, lockStatus } from './locks.js';
import { planOf } from './plan.js';
import { loadChangeset } from '../inputs/load-inputs.js';

/**
 * The operations that read (and the admin's flag setting): each checks the caller's role and
 * calls what the CLI verb calls. `openReader` opens a reading app (plan and traffic must change nothing:
 * its target is only peeked at), `app` the server's own, whose journal sees its appends at once.
 */
export function readingOperations(app: App, openReader: () => App, log: (line: string) => void) {
  const read = (who: Identity, what: string) => authorize(who, 'read', what);
  // A reading app's journal and stores are what they were when first read (a snapshot, or the
  // file in place until a writer changes it): each request opens its own, as a CLI verb would.
  const reading = async <T>(use: (reader: App) => Promise<T>): Promise<T> => {
    const reader = openReader();
    try {
      return await use(reader);
    } finally {
      await reader.close();
    }
  };
  return {
    async list(who: Identity, query: unknown) {
      read(who, 'listing deploys');
      const q = inputs.parseInput(inputs.listInput, query, 'query');
      const page = await listDeploys(app, {
        ...(q.environment === undefined ? {} : { environment: q.environment }),
        ...(q.state === undefined ? {} : { state: q.state }),
        page: { limit: q.limit, offset: q.offset },
      });
      return { ...page, limit: q.limit, offset: q.offset };
    },
    async status(who: Identity, id: string) {
      read(who, 'status');
      return { deploy_result: (await readDeploy(app, id)).result };
    },
    async log(who: Identity, id: string) {
      read(who, 'log');
      return (await readDeploy(app, id)).rows;
    },
    async timeline(who: Identity, id: string) {
      read(who, 'timeline');
      const { rows, result } = await readDeploy(app, id);
      return { deploy_id: result.deploy_id, state: result.state, steps: deployTimeline(rows) };
    },
    async analysis(who: Identity, id: string) {
      read(who, 'analysis');
      return deployAnalysis((await readDeploy(app, id)).result);
    },
    async plan(who: Identity, body: unknown) {
      authorize(who, 'deploy', 'plan');
      const input = inputs.parseInput(inputs.deployInput, body, 'body');
      const args = {
        strategy: inputs.strategyOf(input.strategy),
        changesets: input.changesets.map((path) => loadChangeset(path)),
        queued: false,
        environment: input.environment,
        waitMs: 0,
        onInterrupted: 'rollback' as const,
      };
      return { plan: await reading((reader) => planOf(reader.context(log), args)) };
    },
    /** What serves each environment now, as its target reports it (weights per version). */
    async traffic(who: Identity) {
      read(who, 'traffic');
      return reading(async (reader) => {
        const ctx = reader.context(log);
        const environments = [];
        for (const name of environmentNames(app.config)) {
          const snapshot = await ctx.target(name).peek();
          const versions = snapshot.versions.map((v) => ({
            tag: v.release.tag,
            digest: v.release.digest,
            weight: v.weight,
          }));
          environments.push({ environment: name, versions });
        }
        return { environments };
      });
    },
    async flags(who: Identity) {
      read(who, 'flags');
      return { flags: await app.flags().list() };
    },
    async flag(who: Identity, name: string) {
      read(who, 'flags');
      return getFlag(app.flags(), name);
    },
    async setFlag(who: Identity, name: string, body: unknown) {
      authorize(who, 'admin', 'setting a flag');
      const input = inputs.parseInput(inputs.flagSetInput, body, 'body');
      checkEnvironment(app, input.environment);
      return setFlag(app.flags(), name, input.environment, input.state, input.percentage);
    },
    async locks(who: Identity, environment: string | undefined) {
      read(who, 'lock status');
      return { locks: await lockStatus(app, environment) };
    },
    async audit(who: Identity) {
      read(who, 'audit verify');
      return auditState(app, app.auditKeys('verify').verifier);
    },
  };
}

export type ReadingOperations = ReturnType<typeof readingOperations>;
