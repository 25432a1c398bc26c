import type { Command } from 'commander';
import { describeHolder, describeOwner } from '../../adapters/lock/lock-row.js';
import type { LockInfo } from '../../ports/lock.js';
import { checkEnvironment, lockStatus, readLocks } from '../../service/locks.js';
import type { App } from '../app.js';
import { parseOutputFormat, printDocument } from '../output.js';
import { withApp } from '../with-app.js';
import { DeployRecorder } from '../../executor/recorder.js';

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
        const locks = await lockStatus(app, o.env);
        if (o.output !== 'text') return printDocument(locks, parseOutputFormat(o.output));
        if (locks.length === 0)
          process.stdout.write(o.env ? `${o.env} is free\n` : 'no environment is locked\n');
        for (const { stale, ...info } of locks) {
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
