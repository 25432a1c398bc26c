import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from '../support/cli.js';
import { holdLock, type LockHolder } from '../support/lock-holder.js';
import { makeTempDir } from '../support/tmp.js';

const tmp = makeTempDir('cutover-e2e-');
const stateDir = join(tmp.dir, '.cutover');
const holders: LockHolder[] = [];
after(async () => {
  for (const h of holders) await h.kill('SIGKILL');
  tmp.cleanup();
});

const cli = (args: string[]): Promise<CliRun> =>
  runCli(args, { cwd: tmp.dir, env: { CUTOVER_STATE_DIR: stateDir } });

async function expectOk(args: string[], stdout: string | RegExp): Promise<CliRun> {
  const run = await cli(args);
  assert.equal(run.code, 0, run.stderr);
  if (typeof stdout === 'string') assert.equal(run.stdout, stdout);
  else assert.match(run.stdout, stdout);
  return run;
}

test('lock status and release on an empty state dir: free, exit 0, nothing created', async () => {
  await expectOk(['lock', 'status'], 'no environment is locked\n');
  await expectOk(['lock', 'status', '--env', 'production'], 'production is free\n');
  await expectOk(['lock', 'status', '--output', 'json'], '[]\n');
  await expectOk(['lock', 'release', '--env', 'production'], 'production was not locked\n');
  assert.equal(existsSync(stateDir), false);
  const typo = await cli(['lock', 'status', '--env', 'prod']);
  assert.equal(typo.code, 2);
  assert.match(
    typo.stderr,
    /^cutover: E_INVALID_INPUT: unknown environment "prod" \(known: production, staging\)\n$/,
  );
  assert.equal((await cli(['lock', 'release'])).code, 2, '--env is required');
});

test('a lock held by another process: status shows owner, reason and expiry; release frees it', async () => {
  mkdirSync(stateDir, { recursive: true });
  const holder = await holdLock(join(stateDir, 'locks.db'), {
    deployId: '0193f0c2-e2e',
    reason: 'deploy 2.4.0',
  });
  holders.push(holder);

  const json = await expectOk(['lock', 'status', '--output', 'json'], /^\[/);
  const [lock, ...rest] = JSON.parse(json.stdout);
  assert.deepEqual(rest, []);
  assert.deepEqual(lock.owner, { ...holder.info.owner, deploy_id: '0193f0c2-e2e' });
  assert.equal(lock.owner.pid, holder.pid);
  assert.equal(lock.owner.host, hostname());
  assert.equal(lock.environment, 'production');
  assert.equal(lock.reason, 'deploy 2.4.0');
  assert.ok(Date.parse(lock.expires_at) > Date.now(), 'not expired');
  assert.equal(lock.stale, null);
  await expectOk(
    ['lock', 'status', '--env', 'production'],
    new RegExp(
      `^production is locked by alice@${hostname()} \\(pid ${holder.pid}, cutover deploy, deploy 0193f0c2-e2e\\) ` +
        `since \\S+, reason "deploy 2.4.0"; expires \\S+ unless renewed\\n$`,
    ),
  );
  await expectOk(['lock', 'status', '--env', 'staging'], 'staging is free\n');

  await expectOk(
    ['lock', 'release', '--env', 'production'],
    new RegExp(`^released the lock on production, held by alice@${hostname()} \\(pid ${holder.pid},`),
  );
  await expectOk(['lock', 'status'], 'no environment is locked\n');
  await expectOk(['lock', 'release', '--env', 'production'], 'production was not locked\n');
});

test('a holder killed with -9 shows as dead in status until someone takes the lock over', async () => {
  mkdirSync(stateDir, { recursive: true });
  const holder = await holdLock(join(stateDir, 'locks.db'), { environment: 'staging' });
  holders.push(holder);
  await holder.kill('SIGKILL');
  await expectOk(
    ['lock', 'status'],
    /^staging is locked by .*\(holder is dead: the next deploy takes it over\)\n$/,
  );
  const json = JSON.parse((await expectOk(['lock', 'status', '--output', 'json'], /^\[/)).stdout);
  assert.equal(json[0].stale, 'dead');
  await expectOk(['lock', 'release', '--env', 'staging'], /^released the lock on staging, held by alice@/);
});
