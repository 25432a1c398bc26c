import assert from 'node:assert/strict';
import { it } from 'node:test';
import { elsewhere, fakeClock, here, TTL, withLocks, type LocksFactory } from './lock-contract.js';

/** Fencing tokens: each lease of an environment outranks every lease of it before. */
export function describeLockFencing(factory: LocksFactory): void {
  it('each acquisition gets a greater token than the last of its environment: after a release, again, on takeover', () =>
    withLocks(factory, async (h) => {
      const clock = fakeClock();
      const [a, b] = [h.open({ clock }), h.open({ clock })];
      const first = await a.acquire('production', elsewhere('alice'), 'deploy 2.4.0', TTL);
      const staging = await b.acquire('staging', here('bob'), 'deploy 2.4.0', TTL);
      await first.release();
      const second = await b.acquire('production', here('bob'), 'hotfix', TTL);
      const third = await b.acquire('production', here('bob'), 'hotfix, retried', TTL);
      await assert.rejects(a.acquire('production', here('carol'), 'deploy 2.5.0', TTL), {
        code: 'E_LOCK_HELD',
      });
      clock.advance(30_001);
      const fourth = await a.acquire('production', here('carol'), 'deploy 2.5.0', TTL);
      assert.ok(fourth.takenOver, 'taken over from an expired holder');
      const tokens = [first, second, third, fourth].map((l) => l.fence.token);
      tokens.slice(1).forEach((t, i) => assert.ok(t > tokens[i]!, `token ${t} after ${tokens[i]}`));
      assert.deepEqual(
        [first, fourth, staging].map((l) => l.fence.environment),
        ['production', 'production', 'staging'],
      );
      assert.ok(Number.isSafeInteger(staging.fence.token) && staging.fence.token > 0);
    }));

  it('tokens are counted per store: every lease of one store names the same store, made with it', () =>
    withLocks(factory, async (h) => {
      const [a, b] = [h.open(), h.open()];
      const production = await a.acquire('production', here('alice'), 'deploy 2.4.0', TTL);
      const staging = await b.acquire('staging', here('bob'), 'deploy 2.4.0', TTL);
      assert.match(production.fence.store, /^[A-Za-z0-9-]{16,64}$/);
      assert.equal(staging.fence.store, production.fence.store);
    }));

  it('a forced release raises the token: the released holder is outranked before anyone acquires', () =>
    withLocks(factory, async (h) => {
      const [a, b] = [h.open(), h.open()];
      const released = await a.acquire('production', elsewhere('alice'), 'deploy 2.4.0', TTL);
      await b.release('production');
      const next = await b.acquire('production', here('bob'), 'hotfix', TTL);
      assert.ok(
        next.fence.token > released.fence.token + 1,
        `${next.fence.token} after ${released.fence.token}`,
      );
    }));
}
