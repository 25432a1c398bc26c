import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPostgresJournal } from '../../../src/adapters/journal/postgres-journal.js';
import type { DeployEvent } from '../../../src/core/events.js';
import type { Journal } from '../../../src/ports/journal.js';
import { happyPath, requested } from '../../support/events.js';
import { asAdmin, postgresPerFile, skipUnlessPostgres } from '../../support/postgres.js';

const server = postgresPerFile();
const label = 'PostgreSQL (test)';

/** `n` journals on one database, each with its own pool, as `n` executors on as many machines. */
async function executors<T>(n: number, body: (journals: Journal[], url: string) => Promise<T>): Promise<T> {
  const url = await (await server()).createDatabase();
  const journals = Array.from({ length: n }, () => openPostgresJournal({ url, label }));
  try {
    return await body(journals, url);
  } finally {
    await Promise.all(journals.map((j) => j.close()));
  }
}

/** Appends `events` to `deployId` one after another, as one executor's loop does. */
async function runDeploy(journal: Journal, deployId: string, events: DeployEvent[]): Promise<void> {
  for (const [seq, event] of events.entries()) await journal.append(deployId, seq, new Date(), event);
}

describe('PostgreSQL journal shared by several executors', { skip: skipUnlessPostgres() }, () => {
  it('concurrent appends from four pools make one valid chain, every deploy in seq order', async () => {
    await executors(4, async (journals) => {
      const events = happyPath();
      await Promise.all(
        journals.flatMap((journal, e) => [0, 1, 2].map((d) => runDeploy(journal, `d-${e}-${d}`, events))),
      );
      const total = journals.length * 3 * events.length;
      assert.deepEqual(await journals[0]!.verify(), { ok: true, rows: total });
      assert.equal((await journals[1]!.head()).rows, total);
      const deploys = await journals[2]!.deploys();
      assert.equal(deploys.length, 12);
      for (const d of deploys) {
        const rows = await journals[3]!.rows(d.deploy_id);
        assert.deepEqual(
          rows.map((r) => r.seq),
          events.map((_, i) => i + 1),
        );
        assert.equal(d.events, events.length);
      }
    });
  });

  it('executors racing for the same seq of one deploy: exactly one append lands each time', async () => {
    await executors(3, async (journals) => {
      await journals[0]!.append('d-1', 0, new Date(), requested());
      for (let seq = 1; seq <= 5; seq++) {
        const results = await Promise.allSettled(
          journals.map((j) => j.append('d-1', seq, new Date(), { type: 'PREFLIGHT_START' })),
        );
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, `seq ${seq}`);
        for (const r of results)
          if (r.status === 'rejected') assert.equal(r.reason.code, 'E_JOURNAL_CONFLICT');
      }
      assert.deepEqual(await journals[1]!.verify(), { ok: true, rows: 6 });
    });
  });

  it('audit reads the whole database: an edited row, or rows cut from the end, are named', async () => {
    await executors(2, async ([a, b], url) => {
      await runDeploy(a!, 'd-a', happyPath().slice(0, 3));
      await runDeploy(b!, 'd-b', happyPath().slice(0, 3));
      const admin = url.replace('cutover@', 'postgres@');
      await asAdmin(admin, "UPDATE cutover.events SET at = '2020-01-01T00:00:00.000Z' WHERE id = 4");
      assert.deepEqual(await b!.verify(), {
        ok: false,
        rows: 6,
        bad_row: 4,
        deploy_id: 'd-b',
        reason: 'hash does not match the row contents (edited)',
      });
      await asAdmin(admin, 'DELETE FROM cutover.events WHERE id >= 4');
      const cut = await a!.verify();
      assert.equal(cut.ok, false);
      assert.match(!cut.ok ? cut.reason : '', /rows from 4 to 6 were removed/);
    });
  });
});
