import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { DeployEvent } from '../../../src/core/events.js';
import { happyPath, requested } from '../../support/events.js';
import { withJournal, type JournalFactory } from './journal-contract.js';

const AT = new Date('2026-02-24T10:00:00.000Z');
const done: DeployEvent = { type: 'DEPLOY_SUCCEEDED' };

/** Appends: what comes back, what reads return after, and when nothing may be written. */
export function describeJournalAppend(factory: JournalFactory): void {
  it('append returns the row it stored, and rows reads the same row back', () =>
    withJournal(factory, async ({ journal }) => {
      const event = requested('canary');
      const row = await journal.append('d-1', 0, AT, event);
      assert.deepEqual(
        { id: row.id, deploy_id: row.deploy_id, seq: row.seq, at: row.at, event: row.event },
        { id: 1, deploy_id: 'd-1', seq: 1, at: '2026-02-24T10:00:00.000Z', event },
      );
      assert.deepEqual(await journal.rows('d-1'), [row]);
    }));

  it('seq counts within a deploy, id across the journal; rows are one deploy, in seq order', () =>
    withJournal(factory, async ({ journal }) => {
      const events = happyPath();
      for (const [i, event] of events.slice(0, 4).entries()) {
        await journal.append('d-a', i, AT, event);
        await journal.append('d-b', i, AT, event);
      }
      const a = await journal.rows('d-a');
      assert.deepEqual(
        a.map((r) => [r.id, r.seq, r.event.type]),
        events.slice(0, 4).map((e, i) => [2 * i + 1, i + 1, e.type]),
      );
      assert.deepEqual(
        (await journal.rows('d-b')).map((r) => r.id),
        [2, 4, 6, 8],
      );
      assert.deepEqual(await journal.rows('d-none'), []);
    }));

  it('an expectedSeq that is not the last seq fails E_JOURNAL_CONFLICT and writes nothing', () =>
    withJournal(factory, async ({ journal }) => {
      await journal.append('d-1', 0, AT, requested());
      await journal.append('d-1', 1, AT, { type: 'PREFLIGHT_START' });
      const head = await journal.head();
      for (const [deploy, expected] of [
        ['d-1', 1],
        ['d-1', 3],
        ['d-1', 0],
        ['d-new', 1],
      ] as const)
        await assert.rejects(journal.append(deploy, expected, AT, done), { code: 'E_JOURNAL_CONFLICT' });
      assert.deepEqual(await journal.head(), head);
      assert.equal((await journal.rows('d-1')).length, 2);
      assert.deepEqual(await journal.rows('d-new'), []);
    }));

  it('two writers appending at the same seq: exactly one lands, the other gets E_JOURNAL_CONFLICT', () =>
    withJournal(factory, async ({ journal }) => {
      await journal.append('d-1', 0, AT, requested());
      const results = await Promise.allSettled([
        journal.append('d-1', 1, AT, { type: 'PREFLIGHT_START' }),
        journal.append('d-1', 1, AT, done),
      ]);
      const landed = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(landed.length, 1);
      assert.equal(refused[0]?.reason?.code, 'E_JOURNAL_CONFLICT');
      assert.deepEqual(
        (await journal.rows('d-1')).map((r) => r.seq),
        [1, 2],
      );
    }));

  it('a store another process holds fails append with E_JOURNAL_UNAVAILABLE; reads go on; a retry lands once', () =>
    withJournal(factory, async (h) => {
      await h.journal.append('d-1', 0, AT, requested());
      const unblock = await h.block();
      try {
        await assert.rejects(h.journal.append('d-1', 1, AT, done), { code: 'E_JOURNAL_UNAVAILABLE' });
        assert.equal((await h.journal.rows('d-1')).length, 1);
      } finally {
        await unblock();
      }
      assert.equal((await h.journal.append('d-1', 1, AT, done)).seq, 2);
      assert.deepEqual(await h.journal.verify(), { ok: true, rows: 2 });
    }));

  it('a journal opened for reading refuses append with E_JOURNAL_READ_ONLY and still reads', () =>
    withJournal(factory, async (h) => {
      const row = await h.journal.append('d-1', 0, AT, requested());
      const reader = await h.reopen('read');
      await assert.rejects(reader.append('d-1', 1, AT, done), { code: 'E_JOURNAL_READ_ONLY' });
      assert.deepEqual(await reader.rows('d-1'), [row]);
      assert.deepEqual(await reader.verify(), { ok: true, rows: 1 });
    }));
}
