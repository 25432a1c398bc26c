import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteJournal } from '../../../src/adapters/journal/sqlite-journal.js';
import type { DeployEvent } from '../../../src/core/events.js';
import { happyPath, requested } from '../../support/events.js';
import { writePreIndexJournal } from '../../support/pre-index-journal.js';
import { makeTempDir } from '../../support/tmp.js';

const tmp = makeTempDir();
after(() => tmp.cleanup());

const staging: DeployEvent = { ...requested('manual'), environment: 'staging' } as DeployEvent;
const HISTORY: Array<[string, DeployEvent[]]> = [
  ['d-ok', [...happyPath(), { type: 'DEPLOY_SUCCEEDED' }]],
  ['d-running', [staging, { type: 'PREFLIGHT_START' }]],
  ['d-stopped', [requested(), { type: 'PREFLIGHT_START' }]],
];

/** The summaries as cutover listed them before the index: folded from every row. */
function summariesFromRows(path: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT e.deploy_id, json_extract(r.data, '$.environment') AS environment, MIN(e.at) AS first_at, MAX(e.at) AS last_at,
           (SELECT type FROM events l WHERE l.deploy_id = e.deploy_id ORDER BY seq DESC LIMIT 1) AS last_type, COUNT(*) AS events
         FROM events e JOIN events r ON r.deploy_id = e.deploy_id AND r.seq = 1
         GROUP BY e.deploy_id ORDER BY MIN(e.id)`,
      )
      .all();
  } finally {
    db.close();
  }
}

function oldJournal(name: string): string {
  const path = join(tmp.dir, `${name}.db`);
  writePreIndexJournal(path, HISTORY);
  return path;
}

test('a journal from before the deploy index is indexed when first opened to write, and lists as it did', async () => {
  const path = oldJournal('upgraded');
  const before = summariesFromRows(path);
  assert.equal(before.length, 3);
  const journal = openSqliteJournal(path);
  assert.deepEqual(await journal.deploys(), before);
  assert.deepEqual(await journal.openDeploys(), before, 'nothing was settled yet: recovery folds each once');
  assert.deepEqual(await journal.findDeploy('d-r'), 'd-running');
  assert.deepEqual(await journal.verify(), { ok: true, rows: 16 });
  // The index follows every append from now on, as for a journal that always had it.
  await journal.append('d-stopped', 2, new Date(), { type: 'PREFLIGHT_START' });
  await journal.settle([{ deployId: 'd-ok', seq: 12 }]);
  assert.deepEqual(await journal.deploys(), summariesFromRows(path));
  assert.deepEqual(
    (await journal.openDeploys()).map((d) => d.deploy_id),
    ['d-running', 'd-stopped'],
  );
  await journal.close();
  const reopened = openSqliteJournal(path);
  assert.deepEqual(await reopened.deploys(), summariesFromRows(path));
  assert.deepEqual(await reopened.verify(), { ok: true, rows: 17 });
  await reopened.close();
});

test('reading a journal from before the index lists its deploys and changes nothing in it', async () => {
  const path = oldJournal('read');
  const files = readdirSync(tmp.dir)
    .filter((f) => f.startsWith('read.db'))
    .map((f) => [f, readFileSync(join(tmp.dir, f))] as const);
  const reader = openSqliteJournal(path, { access: 'read' });
  assert.deepEqual(await reader.deploys(), summariesFromRows(path));
  assert.equal((await reader.openDeploys()).length, 3);
  await reader.close();
  for (const [name, bytes] of files) assert.deepEqual(readFileSync(join(tmp.dir, name)), bytes, name);
});

test('an index that lost its trigger (events dropped and recreated) is rebuilt when opened', async () => {
  const path = oldJournal('rebuilt');
  await openSqliteJournal(path).close();
  const editor = new Database(path);
  editor.exec('DROP TRIGGER deploys_follow_events');
  editor.exec("DELETE FROM deploys WHERE deploy_id = 'd-ok'");
  editor.close();
  const journal = openSqliteJournal(path);
  assert.deepEqual(await journal.deploys(), summariesFromRows(path));
  await journal.append('d-new', 0, new Date(), requested());
  assert.deepEqual(await journal.deploys(), summariesFromRows(path));
  await journal.close();
});
