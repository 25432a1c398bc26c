import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openSqliteLocks } from '../../../src/adapters/lock/sqlite-locks.js';
import { holdLock } from '../../support/lock-holder.js';
import { makeTempDir } from '../../support/tmp.js';

// What every adapter must do is in test/contract/lock; this is the SQLite store across real OS
// processes, with the pid check that is not injected.
const tmp = makeTempDir();
after(() => tmp.cleanup());

const bob = { user: 'bob', host: hostname(), pid: process.pid, command: 'cutover deploy', deploy_id: null };
const TTL = { ttlMs: 30_000 };

test('across OS processes: refused while a live process holds it, taken over at once after kill -9', async () => {
  const path = join(tmp.dir, 'processes.db');
  const holder = await holdLock(path, { deployId: '0193f0c2-aaaa' });
  const locks = openSqliteLocks(path);
  try {
    try {
      await assert.rejects(locks.acquire('production', bob, 'hotfix', TTL), {
        code: 'E_LOCK_HELD',
        message: new RegExp(
          `locked by alice@${hostname()} \\(pid ${holder.pid}, cutover deploy, deploy 0193f0c2-aaaa\\)`,
        ),
      });
    } finally {
      await holder.kill('SIGKILL');
    }
    const taker = await locks.acquire('production', bob, 'hotfix', TTL);
    assert.equal(taker.takenOver?.owner.pid, holder.pid);
    assert.equal(taker.takenOver?.reason, 'deploy 2.4.0');
    assert.ok(Date.now() < Date.parse(taker.takenOver!.expires_at), 'taken over before expiry');
    await taker.release();
  } finally {
    await locks.close();
  }
});
