import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteJournal } from '../../../src/adapters/journal/sqlite-journal.js';
import type { Journal } from '../../../src/ports/journal.js';
import { happyPath } from '../../support/events.js';
import { makeTempDir } from '../../support/tmp.js';

const tmp = makeTempDir();
after(() => tmp.cleanup());

let n = 0;
async function journalWithTwoDeploys(): Promise<{ path: string; journal: Journal }> {
  const path = join(tmp.dir, `j${n++}.db`);
  const journal = openSqliteJournal(path);
  const at = new Date('2026-02-24T10:00:00Z');
  const events = happyPath();
  for (const [i, e] of events.entries()) await journal.append('deploy-a', i, at, e);
  for (const [i, e] of events.slice(0, 3).entries()) await journal.append('deploy-b', i, at, e);
  return { path, journal };
}

let sqliteCli = true;
before(() => {
  try {
    execFileSync('sqlite3', ['-version']);
  } catch {
    sqliteCli = false;
  }
});

test('editing a row with the sqlite3 CLI is caught, naming the row', async (t) => {
  if (!sqliteCli) {
    if (process.env.CI === 'true') assert.fail('sqlite3 CLI missing in CI');
    t.skip('sqlite3 CLI not installed');
    return;
  }
  const { path, journal } = await journalWithTwoDeploys();
  await journal.close();
  execFileSync('sqlite3', [
    path,
    `UPDATE events SET data = replace(data, 'api-orders', 'evil') WHERE id = 6`,
  ]);
  const reopened = openSqliteJournal(path);
  const report = await reopened.verify();
  assert.equal(report.ok, false);
  assert.equal(!report.ok && report.bad_row, 6);
  assert.equal(!report.ok && report.deploy_id, 'deploy-a');
  await reopened.close();
});

test('a removed row in the middle and rows removed from the end are both caught', async () => {
  const middle = await journalWithTwoDeploys();
  await middle.journal.close();
  new Database(middle.path).prepare('DELETE FROM events WHERE id = 7').run();
  const m = await openSqliteJournal(middle.path).verify();
  assert.deepEqual(m.ok ? null : [m.bad_row, m.reason], [7, 'row 7 is missing']);

  const tail = await journalWithTwoDeploys();
  await tail.journal.close();
  new Database(tail.path).prepare('DELETE FROM events WHERE id >= 13').run();
  const t = await openSqliteJournal(tail.path).verify();
  assert.equal(t.ok, false);
  assert.equal(!t.ok && t.bad_row, 13);
  assert.match(!t.ok ? t.reason : '', /removed/);
});

test('a re-hashed forgery is still caught by the next row', async () => {
  const { path, journal } = await journalWithTwoDeploys();
  await journal.close();
  const db = new Database(path);
  db.prepare("UPDATE events SET at = '2020-01-01T00:00:00.000Z' WHERE id = 3").run();
  db.close();
  const report = await openSqliteJournal(path).verify();
  assert.equal(!report.ok && report.bad_row, 3);
});
