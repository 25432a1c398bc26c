import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { elsewhere, fakeClock, here, TTL, withLocks, type LocksFactory } from './lock-contract.js';

/** When a holder loses its lock without releasing it, and how it finds out. */
export function describeLockTakeover(factory: LocksFactory): void {
  it('an expired lock is taken over, naming the holder; the stalled holder gets E_LOCK_LOST', () =>
    withLocks(factory, async (h) => {
      const clock = fakeClock();
      const [a, b] = [h.open({ clock }), h.open({ clock })];
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
      assert.deepEqual(
        await a.status('production'),
        [taker.info],
        "the stalled holder's release frees nothing",
      );
      await taker.assertHeld();
    }));

  it('a holder on this host whose process is gone is taken over at once; a pid elsewhere is not checked', () =>
    withLocks(factory, async (h) => {
      const clock = fakeClock();
      const alive = (pid: number) => pid !== 999_999;
      const [a, b] = [h.open({ clock }), h.open({ clock, isProcessAlive: alive })];
      const dead = await a.acquire('production', here('alice', 999_999), 'deploy 2.4.0', TTL);
      await a.acquire('staging', here('alice'), 'deploy 2.4.0', TTL);
      await a.acquire('qa', elsewhere('alice', 999_999), 'deploy 2.4.0', TTL);
      await assert.rejects(b.acquire('staging', here('bob'), 'hotfix', TTL), { code: 'E_LOCK_HELD' });
      await assert.rejects(b.acquire('qa', here('bob'), 'hotfix', TTL), { code: 'E_LOCK_HELD' });
      const taker = await b.acquire('production', here('bob'), 'hotfix', TTL);
      assert.deepEqual(taker.takenOver, dead.info);
    }));

  it('force-release returns what it released; the holder finds out at its next check', () =>
    withLocks(factory, async (h) => {
      const [a, b] = [h.open(), h.open()];
      const held = await a.acquire('production', here('alice'), 'deploy 2.4.0', TTL);
      assert.deepEqual(await b.release('production'), held.info);
      assert.equal(await b.release('production'), undefined);
      await assert.rejects(held.assertHeld(), {
        code: 'E_LOCK_LOST',
        message: 'lost the lock on production: it was released by someone else',
      });
      assert.deepEqual(await a.status(), []);
    }));

  it('a waiting acquire gets the lock when the holder lets go, calling onWait once; else E_LOCK_HELD', () =>
    withLocks(factory, async (h) => {
      const [a, b] = [h.open({ pollMs: 20 }), h.open({ pollMs: 20 })];
      const first = await a.acquire('production', here('alice'), 'deploy 2.4.0', TTL);
      const waits: string[] = [];
      const second = await b.acquire('production', here('bob'), 'deploy 2.5.0', {
        ...TTL,
        waitMs: 30_000,
        onWait: (holder) => {
          waits.push(holder.owner.user);
          setTimeout(() => void first.release(), 100);
        },
      });
      assert.deepEqual(waits, ['alice']);
      assert.equal(second.takenOver, null);
      await assert.rejects(a.acquire('production', here('carol'), 'deploy 2.6.0', { ...TTL, waitMs: 200 }), {
        code: 'E_LOCK_HELD',
        message: /^environment production is locked by bob@.*; gave up after waiting 200ms$/,
      });
    }));

  it('the heartbeat keeps a held lock alive past its ttl', () =>
    withLocks(factory, async (h) => {
      const [a, b] = [h.open(), h.open()];
      const held = await a.acquire('production', elsewhere('alice'), 'deploy 2.4.0', { ttlMs: 600 });
      await sleep(1_500);
      await assert.rejects(b.acquire('production', here('bob'), 'hotfix', TTL), { code: 'E_LOCK_HELD' });
      const [row] = await b.status('production');
      assert.ok(Date.parse(row!.heartbeat_at) > Date.parse(row!.acquired_at), 'renewed since');
      await held.assertHeld();
    }));
}
