import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPostgresJournal } from '../../../src/adapters/journal/postgres-journal.js';
import { openPostgresLocks } from '../../../src/adapters/lock/postgres-locks.js';
import { DeployRecorder } from '../../../src/executor/recorder.js';
import type { Journal } from '../../../src/ports/journal.js';
import type { EnvironmentLocks } from '../../../src/ports/lock.js';
import { requested } from '../../support/events.js';
import { postgresPerFile, skipUnlessPostgres } from '../../support/postgres.js';
import { elsewhere, fakeClock, here } from '../../contract/lock/lock-contract.js';

const server = postgresPerFile();
const TTL = { ttlMs: 30_000 };

/** Two executors, A and B, each with its locks and journal on one database, sharing a clock. */
async function twoExecutors(
  body: (a: Executor, b: Executor, clock: ReturnType<typeof fakeClock>) => Promise<void>,
) {
  const url = await (await server()).createDatabase();
  const connection = { url, label: 'PostgreSQL (test)' };
  const clock = fakeClock();
  const open = (): Executor => ({
    locks: openPostgresLocks(connection, { clock }),
    journal: openPostgresJournal(connection),
  });
  const [a, b] = [open(), open()];
  try {
    await body(a, b, clock);
  } finally {
    for (const e of [a, b]) await Promise.all([e.locks.close(), e.journal.close()]);
  }
}

interface Executor {
  locks: EnvironmentLocks;
  journal: Journal;
}

const AT = new Date('2026-03-01T10:00:00.000Z');

describe(
  'fencing tokens: the journal refuses a holder that stalled past its lease',
  { skip: skipUnlessPostgres() },
  () => {
    it('after a takeover, the old holder’s append is E_STALE_FENCING_TOKEN and writes nothing; the new one’s lands', () =>
      twoExecutors(async (a, b, clock) => {
        const stalled = await a.locks.acquire('production', elsewhere('alice'), 'deploy 2.4.0', TTL);
        await a.journal.append('d-a', 0, AT, requested(), stalled.fence);
        clock.advance(30_001);
        const taker = await b.locks.acquire('production', here('bob'), 'recover', TTL);
        assert.ok(taker.fence.token > stalled.fence.token);
        const head = await b.journal.head();
        await assert.rejects(a.journal.append('d-a', 1, AT, { type: 'PREFLIGHT_START' }, stalled.fence), {
          code: 'E_STALE_FENCING_TOKEN',
          message: `deploy d-a: append refused: the lease on production with fencing token ${stalled.fence.token} was taken over (the current token is ${taker.fence.token}); this executor stalled past its lease and stops`,
        });
        assert.deepEqual(await a.journal.head(), head, 'nothing written');
        await b.journal.append('d-a', 1, AT, { type: 'PREFLIGHT_START' }, taker.fence);
        assert.deepEqual(await b.journal.verify(), { ok: true, rows: 2 });
      }));

    it('a stalled holder behind on its deploy too is told its lease is stale, not that the seq moved', () =>
      twoExecutors(async (a, b, clock) => {
        const stalled = await a.locks.acquire('production', elsewhere('alice'), 'deploy 2.4.0', TTL);
        await a.journal.append('d-a', 0, AT, requested(), stalled.fence);
        clock.advance(30_001);
        const taker = await b.locks.acquire('production', here('bob'), 'recover', TTL);
        await b.journal.append('d-a', 1, AT, { type: 'PREFLIGHT_START' }, taker.fence);
        await assert.rejects(a.journal.append('d-a', 1, AT, { type: 'PREFLIGHT_START' }, stalled.fence), {
          code: 'E_STALE_FENCING_TOKEN',
        });
      }));

    it('a fence of another environment is not affected; an append without a fence is not checked', () =>
      twoExecutors(async (a, b, clock) => {
        const staging = await a.locks.acquire('staging', elsewhere('alice'), 'deploy', TTL);
        const old = await a.locks.acquire('production', elsewhere('alice'), 'deploy', TTL);
        clock.advance(30_001);
        await b.locks.acquire('production', here('bob'), 'recover', TTL);
        await a.journal.append('d-s', 0, AT, requested(), staging.fence);
        await assert.rejects(a.journal.append('d-p', 0, AT, requested(), old.fence), {
          code: 'E_STALE_FENCING_TOKEN',
        });
        await a.journal.append('d-p', 0, AT, requested());
        assert.equal((await a.journal.head()).rows, 2);
      }));

    it('`lock release` (forced) fences the released holder out of the journal at once', () =>
      twoExecutors(async (a, b) => {
        const released = await a.locks.acquire('production', elsewhere('alice'), 'deploy 2.4.0', TTL);
        await a.journal.append('d-a', 0, AT, requested(), released.fence);
        assert.equal((await b.locks.release('production'))?.owner.user, 'alice');
        await assert.rejects(a.journal.append('d-a', 1, AT, { type: 'PREFLIGHT_START' }, released.fence), {
          code: 'E_STALE_FENCING_TOKEN',
        });
        const next = await b.locks.acquire('production', here('bob'), 'recover', TTL);
        assert.ok(next.fence.token > released.fence.token + 1, 'the release counted as a lease');
      }));

    it('the executor’s recorder carries its session’s fence on every append', () =>
      twoExecutors(async (a, b, clock) => {
        const stalled = await a.locks.acquire('production', elsewhere('alice'), 'deploy 2.4.0', TTL);
        const ctx = {
          journal: a.journal,
          clock,
          sleep: async () => undefined,
          progress: () => undefined,
          secrets: [],
          fence: stalled.fence,
        };
        const rec = await DeployRecorder.start(ctx, 'd-a', requested());
        clock.advance(30_001);
        await b.locks.acquire('production', here('bob'), 'recover', TTL);
        await assert.rejects(rec.record({ type: 'PREFLIGHT_START' }), { code: 'E_STALE_FENCING_TOKEN' });
        assert.equal((await b.journal.rows('d-a')).length, 1);
      }));
  },
);
