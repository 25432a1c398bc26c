import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSqliteLocks, type SqliteLocksOptions } from '../../../src/adapters/lock/sqlite-locks.js';
import type { Clock } from '../../../src/ports/clock.js';
import type { EnvironmentLocks, LockOwner } from '../../../src/ports/lock.js';
import { holdLock } from '../../support/lock-holder.js';
import { makeTempDir } from '../../support/tmp.js';

const tmp = makeTempDir();
const open: EnvironmentLocks[] = [];
after(async () => {
  for (const locks of open) await locks.close().catch(() => undefined);
  tmp.cleanup();
});

let n = 0;
/** Two stores on one fresh locks.db, as two processes would have. */
function twoStores(
  options: SqliteLocksOptions = {},
  optionsB = options,
): [EnvironmentLocks, EnvironmentLocks] {
  const path = join(tmp.dir, `locks${n++}.db`);
  const pair: [EnvironmentLocks, EnvironmentLocks] = [
    openSqliteLocks(path, options),
    openSqliteLocks(path, optionsB),
  ];
  open.push(...pair);
  return pair;
}

function fakeClock(iso = '2026-03-01T10:00:00.000Z'): Clock & { advance(ms: number): void } {
  let t = Date.parse(iso);
  return { now: () => new Date(t), advance: (ms) => (t += ms) };
}

const here = (user: string, pid = process.pid): Omit<LockOwner, 'id'> => ({
  user,
  host: hostname(),
  pid,
  command: 'cutover deploy',
  deploy_id: null,
});
const elsewhere = (user: string): Omit<LockOwner, 'id'> => ({ ...here(user, 4242), host: 'build-7' });
const TTL = { ttlMs: 30_000 };

test('a second store is refused with E_LOCK_HELD naming the holder until the holder releases', async () => {
  const clock = fakeClock();
  const [a, b] = twoStores({ clock });
  const held = await a.acquire('production', elsewhere('alice'), 'deploy 2.4.0', TTL);
  await held.setDeploy('0193f0c2-7e4b');
  assert.equal(held.takenOver, null);
  clock.advance(10_000);
  await assert.rejects(b.acquire('production', here('bob'), 'hotfix', TTL), {
    code: 'E_LOCK_HELD',
    message:
      'environment production is locked by alice@build-7 (pid 4242, cutover deploy, deploy 0193f0c2-7e4b) ' +
      'since 2026-03-01T10:00:00.000Z, reason "deploy 2.4.0"; expires 2026-03-01T10:00:30.000Z unless renewed',
  });
  const staging = await b.acquire('staging', here('bob'), 'other environment', TTL);
  assert.deepEqual(
    (await b.status()).map((l) => [l.environment, l.owner.user, l.owner.deploy_id, l.owner.id]),
    [
      ['production', 'alice', '0193f0c2-7e4b', held.info.owner.id],
      ['staging', 'bob', null, staging.info.owner.id],
    ],
  );
  await held.release();
  await held.release();
  const next = await b.acquire('production', here('bob'), 'hotfix', TTL);
  assert.equal(next.takenOver, null);
  assert.deepEqual(await a.status('production'), [next.info]);
  await next.release();
  await staging.release();
  assert.deepEqual(await a.status(), []);
});

test('an expired lock is taken over, and a stalled holder then gets E_LOCK_LOST from assertHeld', async () => {
  const clock = fakeClock();
  const [a, b] = twoStores({ clock });
  const stalled = await a.acquire('production', elsewhere('alice'), 'deploy 2.4.0', TTL);
  clock.advance(30_000);
  await assert.rejects(b.acquire('production', here('bob'), 'hotfix', TTL), { code: 'E_LOCK_HELD' });
  clock.advance(1);
  const taker = await b.acquire('production', here('bob'), 'hotfix', TTL);
  assert.deepEqual(taker.takenOver, stalled.info);
  await assert.rejects(stalled.assertHeld(), {
    code: 'E_LOCK_LOST',
    message: new RegExp(
      `^lost the lock on production: it is now held by bob@${hostname()} \\(pid ${process.pid},`,
    ),
  });
  await assert.rejects(stalled.setDeploy('d-1'), { code: 'E_LOCK_LOST' });
  await stalled.release();
  assert.deepEqual(await a.status('production'), [taker.info], "the stalled holder's release frees nothing");
  await taker.assertHeld();
  await taker.release();
});

test('on this host, a holder whose pid is gone is taken over before its lock expires', async () => {
  const clock = fakeClock();
  const [a, b] = twoStores({ clock }, { clock, isProcessAlive: (pid) => pid !== 999_999 });
  const dead = await a.acquire('production', here('alice', 999_999), 'deploy 2.4.0', TTL);
  const alive = await a.acquire('staging', here('alice'), 'deploy 2.4.0', TTL);
  await assert.rejects(b.acquire('staging', here('bob'), 'hotfix', TTL), { code: 'E_LOCK_HELD' });
  const taker = await b.acquire('production', here('bob'), 'hotfix', TTL);
  assert.equal(taker.takenOver?.owner.pid, 999_999);
  assert.equal(taker.takenOver?.owner.id, dead.info.owner.id);
  await taker.release();
  await alive.release();
});

test('across OS processes: refused while a live process holds it, taken over at once after kill -9', async () => {
  const path = join(tmp.dir, 'processes.db');
  const holder = await holdLock(path, { deployId: '0193f0c2-aaaa' });
  const locks = openSqliteLocks(path);
  open.push(locks);
  try {
    await assert.rejects(locks.acquire('production', here('bob'), 'hotfix', TTL), {
      code: 'E_LOCK_HELD',
      message: new RegExp(
        `locked by alice@${hostname()} \\(pid ${holder.pid}, cutover deploy, deploy 0193f0c2-aaaa\\)`,
      ),
    });
  } finally {
    await holder.kill('SIGKILL');
  }
  const taker = await locks.acquire('production', here('bob'), 'hotfix', TTL);
  assert.equal(taker.takenOver?.owner.pid, holder.pid);
  assert.equal(taker.takenOver?.reason, 'deploy 2.4.0');
  assert.ok(Date.now() < Date.parse(taker.takenOver!.expires_at), 'taken over before expiry');
  await taker.release();
});

test('waiting: acquired when the holder releases during the wait, E_LOCK_HELD after it otherwise', async () => {
  const [a, b] = twoStores({ pollMs: 50 });
  const first = await a.acquire('production', here('alice'), 'deploy 2.4.0', TTL);
  const waits: string[] = [];
  const second = await b.acquire('production', here('bob'), 'deploy 2.5.0', {
    ...TTL,
    waitMs: 10_000,
    onWait: (holder) => {
      waits.push(holder.owner.user);
      setTimeout(() => void first.release(), 300);
    },
  });
  assert.deepEqual(waits, ['alice'], 'onWait is called once');
  assert.equal(second.takenOver, null);
  const started = Date.now();
  await assert.rejects(a.acquire('production', here('carol'), 'deploy 2.6.0', { ...TTL, waitMs: 400 }), {
    code: 'E_LOCK_HELD',
    message: /^environment production is locked by bob@.*; gave up after waiting 400ms$/,
  });
  assert.ok(Date.now() - started >= 390, 'it did wait');
  await second.release();
});

test('the heartbeat keeps a lock alive past its ttl', async () => {
  const [a, b] = twoStores();
  const held = await a.acquire('production', elsewhere('alice'), 'deploy 2.4.0', { ttlMs: 600 });
  await sleep(1_500);
  await assert.rejects(b.acquire('production', here('bob'), 'hotfix', TTL), { code: 'E_LOCK_HELD' });
  const [row] = await b.status('production');
  assert.ok(Date.parse(row!.heartbeat_at) - Date.parse(row!.acquired_at) >= 900, 'renewed since');
  await held.assertHeld();
  await held.release();
});

test('force-release and re-acquiring through the same store leave the earlier handle lost', async () => {
  const [a, b] = twoStores();
  const first = await a.acquire('production', here('alice'), 'deploy 2.4.0', TTL);
  const again = await a.acquire('production', here('alice'), 'deploy 2.4.0, retried', TTL);
  assert.equal(again.takenOver, null);
  await assert.rejects(first.assertHeld(), { code: 'E_LOCK_LOST' });
  assert.deepEqual(await b.release('production'), again.info);
  assert.equal(await b.release('production'), undefined);
  await assert.rejects(again.assertHeld(), {
    code: 'E_LOCK_LOST',
    message: 'lost the lock on production: it was released by someone else',
  });
  await assert.rejects(a.acquire('production', here('alice'), 'x', { ttlMs: 0 }), {
    code: 'E_INVALID_INPUT',
  });
});

test('close releases what the store still holds', async () => {
  const path = join(tmp.dir, 'close.db');
  const a = openSqliteLocks(path);
  const b = openSqliteLocks(path);
  open.push(b);
  await a.acquire('production', here('alice'), 'deploy 2.4.0', TTL);
  await a.close();
  assert.deepEqual(await b.status(), []);
});
