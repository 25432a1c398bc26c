import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqliteLocks } from '../../../src/adapters/lock/sqlite-locks.js';
import { exclusiveLocks } from '../../../src/service/exclusive-locks.js';
import { here, TTL } from '../../contract/lock/lock-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-exclusive-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('one lock store shared by the requests of one server process', () => {
  it('the bare store lets a second acquisition through the same store take the first one’s lease', async () => {
    const locks = openSqliteLocks(join(dir, 'bare.db'));
    try {
      const first = await locks.acquire('production', here('alice'), 'deploy 1', TTL);
      await locks.acquire('production', here('bob'), 'deploy 2', TTL);
      await assert.rejects(first.assertHeld(), { code: 'E_LOCK_LOST' });
    } finally {
      await locks.close();
    }
  });

  it('wrapped, two acquisitions at once: one holds, the other is E_LOCK_HELD; free again after release', async () => {
    const locks = exclusiveLocks(openSqliteLocks(join(dir, 'wrapped.db')));
    try {
      const results = await Promise.allSettled([
        locks.acquire('production', here('alice'), 'deploy 1', TTL),
        locks.acquire('production', here('bob'), 'deploy 2', TTL),
      ]);
      const held = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected');
      assert.equal(held.length, 1);
      assert.equal(refused.length, 1);
      assert.equal((refused[0] as PromiseRejectedResult).reason.code, 'E_LOCK_HELD');
      const lease = (held[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof locks.acquire>>>).value;
      // held now (not acquiring): refused naming the holder, and the holder keeps its lease
      await assert.rejects(locks.acquire('production', here('carol'), 'deploy 3', TTL), {
        code: 'E_LOCK_HELD',
        message: /^environment production is locked by (alice|bob)@/,
      });
      await lease.assertHeld();
      const staging = await locks.acquire('staging', here('carol'), 'deploy 3', TTL);
      await staging.release();
      await lease.release();
      const again = await locks.acquire('production', here('dave'), 'deploy 4', TTL);
      assert.ok(again.fence.token > lease.fence.token);
      await again.release();
    } finally {
      await locks.close();
    }
  });
});
