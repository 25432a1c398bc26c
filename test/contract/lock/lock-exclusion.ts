import assert from 'node:assert/strict';
import { it } from 'node:test';
import { elsewhere, fakeClock, here, TTL, withLocks, type LocksFactory } from './lock-contract.js';

/** One holder per environment, whoever asks and through whichever store. */
export function describeLockExclusion(factory: LocksFactory): void {
  it('acquire takes a free lock; status shows it as the handle holds it, setDeploy included', () =>
    withLocks(factory, async (h) => {
      const clock = fakeClock();
      const held = await h.open({ clock }).acquire('production', elsewhere('alice'), 'deploy 2.4.0', TTL);
      assert.equal(held.takenOver, null);
      assert.deepEqual(
        { ...held.info, owner: { ...held.info.owner, id: 'x' } },
        {
          environment: 'production',
          owner: { ...elsewhere('alice'), id: 'x' },
          reason: 'deploy 2.4.0',
          acquired_at: '2026-03-01T10:00:00.000Z',
          heartbeat_at: '2026-03-01T10:00:00.000Z',
          expires_at: '2026-03-01T10:00:30.000Z',
        },
      );
      await held.setDeploy('0193f0c2-7e4b');
      assert.equal(held.info.owner.deploy_id, '0193f0c2-7e4b');
      assert.deepEqual(await h.open({ clock }).status('production'), [held.info]);
    }));

  it('another store gets E_LOCK_HELD naming the holder; other environments stay free', () =>
    withLocks(factory, async (h) => {
      const clock = fakeClock();
      const [a, b] = [h.open({ clock }), h.open({ clock })];
      const held = await a.acquire('production', elsewhere('alice'), 'deploy 2.4.0', TTL);
      await held.setDeploy('0193f0c2-7e4b');
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
    }));

  it('release frees the lock for the next holder; releasing again is a no-op', () =>
    withLocks(factory, async (h) => {
      const [a, b] = [h.open(), h.open()];
      const held = await a.acquire('production', here('alice'), 'deploy 2.4.0', TTL);
      await held.release();
      await held.release();
      assert.deepEqual(await b.status(), []);
      const next = await b.acquire('production', here('bob'), 'hotfix', TTL);
      assert.equal(next.takenOver, null);
      assert.deepEqual(await a.status('production'), [next.info]);
      await assert.rejects(held.assertHeld(), { code: 'E_LOCK_LOST' });
      await next.assertHeld();
    }));

  it('acquiring again through the same store takes it again; the earlier handle is lost', () =>
    withLocks(factory, async (h) => {
      const a = h.open();
      const first = await a.acquire('production', here('alice'), 'deploy 2.4.0', TTL);
      const again = await a.acquire('production', here('alice'), 'deploy 2.4.0, retried', TTL);
      assert.equal(again.takenOver, null);
      await assert.rejects(first.assertHeld(), { code: 'E_LOCK_LOST' });
      await assert.rejects(first.setDeploy('d-1'), { code: 'E_LOCK_LOST' });
      assert.deepEqual(await a.status(), [again.info]);
    }));

  it('a ttl that is not a positive duration is E_INVALID_INPUT', () =>
    withLocks(factory, async (h) => {
      for (const ttlMs of [0, -1, Number.NaN])
        await assert.rejects(h.open().acquire('production', here('alice'), 'x', { ttlMs }), {
          code: 'E_INVALID_INPUT',
        });
    }));

  it('close releases the locks the store still holds, and only those', () =>
    withLocks(factory, async (h) => {
      const [a, b] = [h.open(), h.open()];
      await a.acquire('production', here('alice'), 'deploy 2.4.0', TTL);
      const kept = await b.acquire('staging', here('bob'), 'deploy 2.4.0', TTL);
      await a.close();
      assert.deepEqual(await b.status(), [kept.info]);
    }));
}
