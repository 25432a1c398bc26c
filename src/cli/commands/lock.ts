import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describeHolder, describeOwner, goneReason, isProcessAlive } from '../../adapters/lock/lock-row.js';
import { environmentNames } from '../../core/environments.js';
import { CutoverError } from '../../core/errors.js';
import type { LockInfo } from '../../ports/lock.js';
import type { App } from '../app.js';
import { parseOutputFormat, printDocument } from '../output.js';
import { withApp } from '../with-app.js';
import { DeployRecorder } from '../../executor/recorder.js';

/** Reads the locks without creating the state dir: no locks.db means nothing was ever locked. */
async function readLocks(app: App, environment?: string): Promise<LockInfo[]> {
  if (app.config.state.type === 'sqlite' && !existsSync(join(app.stateDir, 'locks.db'))) return [];
  return app.locks().status(environment);
}

/** Why the next acquisition would take the lock over without waiting, or null while it holds. */
function staleness(info: LockInfo): 'expired' | 'dead' | null {
  return goneReason(info, new Date(), { hostname: hostname(), isProcessAlive }) ?? null;
}

/**
 * The environments a live cutover process holds the lock of. Every verb that works on a deploy
 * holds the lock of the environment it applies to (and settles what was left there first), so a
 * deploy with work left is `running` while its environment is in this set, `interrupted` when not
 * (core/deploy-phase.ts): the journal alone cannot tell a slow executor from a dead one.
 */
export async function lockedEnvironments(app: App): Promise<Set<string>> {
  const live = (await readLocks(app)).filter((info) => staleness(info) === null);
  return new Set(live.map((info) => info.environment));
}

/** A lock row proves its environment existed; without one, a typo must not read as "free". */
function checkEnvironment(app: App, environment: string): void {
  const known = environmentNames(app.config);
  if (!known.includes(environment))
    throw new CutoverError(
      'E_INVALID_INPUT',
      `unknown environment "${environment}" (known: ${known.join(', ')})`,
    );
}

export function registerLock(program: Command): void {
  const lock = program
    .command('lock')
    .description('the per-environment deploy lock (one deploy per environment at a time)');
  lock
    .command('status')
    .description('show who holds the lock of each environment, or of one')
    .option('--env <environment>', 'only this environment')
    .option('--output <format>', 'text, yaml or json', 'text')
    .action((o: { env?: string; output: string }, cmd: Command) =>
      withApp(cmd, 'read', async (app) => {
        const locks = await readLocks(app, o.env);
        if (o.env !== undefined && locks.length === 0) checkEnvironment(app, o.env);
        if (o.output !== 'text') {
          const docs = locks.map((info) => ({ ...info, stale: staleness(info) }));
          return printDocument(docs, parseOutputFormat(o.output));
        }
        if (locks.length === 0)
          process.stdout.write(o.env ? `${o.env} is free\n` : 'no environment is locked\n');
        for (const info of locks) {
          const stale = staleness(info);
          const note = stale
            ? ` (${stale === 'dead' ? 'holder is dead' : 'expired'}: the next deploy takes it over)`
            : '';
          process.stdout.write(`${info.environment} is locked by ${describeHolder(info)}${note}\n`);
        }
      }),
    );
  lock
    .command('release')
    .description("force-release an environment's lock (its holder gets E_LOCK_LOST at its next check)")
    .requiredOption('--env <environment>', 'environment')
    .action((o: { env: string }, cmd: Command) =>
      withApp(cmd, 'write', async (app) => {
        const released = (await readLocks(app, o.env)).length ? await app.locks().release(o.env) : undefined;
        if (!released) {
          checkEnvironment(app, o.env);
          process.stdout.write(`${o.env} was not locked\n`);
          return;
        }
        await journalRelease(app, released);
        process.stdout.write(`released the lock on ${o.env}, held by ${describeOwner(released)}\n`);
      }),
    );
}

/** A forced release is a takeover by hand: the deploy that held the lock gets it in its journal. */
async function journalRelease(app: App, released: LockInfo): Promise<void> {
  const deployId = released.owner.deploy_id;
  if (!deployId) return;
  const ctx = app.context(() => undefined);
  const rec = await DeployRecorder.find(ctx, deployId);
  if (!rec) return;
  const { user, host, pid, command } = released.owner;
  await rec.record({
    type: 'LOCK_TAKEN_OVER',
    environment: released.environment,
    previous_holder: `${user}@${host} pid ${pid} (${command})`,
    reason: `force-released by ${ctx.actor} with cutover lock release`,
  });
}
