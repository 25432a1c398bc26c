import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSqliteJournal } from '../../../src/adapters/journal/sqlite-journal.js';
import { isIndexed } from '../../../src/adapters/journal/journal-schema.js';
import { openInPlace } from '../../../src/adapters/state-dir/read-in-place.js';
import { happyPath } from '../../support/events.js';
import { makeTempDir } from '../../support/tmp.js';

const tmp = makeTempDir();
after(() => tmp.cleanup());

async function journalAtRest(name: string): Promise<{ dir: string; path: string }> {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  const path = join(dir, 'journal.db');
  const journal = openSqliteJournal(path);
  for (const [i, e] of happyPath().entries()) await journal.append('d', i, new Date(), e);
  await journal.close();
  return { dir, path };
}

const filesOf = (dir: string) =>
  readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))] as const);

test('a journal at rest is read in place, leaving every file as it was; not while a log holds changes', async () => {
  const { dir, path } = await journalAtRest('rest');
  const files = filesOf(dir);
  const place = openInPlace(path, isIndexed);
  assert.ok(place, 'no log holds changes: read in place');
  assert.deepEqual(place.db.prepare('SELECT COUNT(*) AS n FROM events').get(), { n: 11 });
  assert.equal(place.unchanged(), true);
  place.db.close();
  assert.deepEqual(filesOf(dir), files, 'nothing created, written or deleted beside it');

  const writer = openSqliteJournal(path);
  await writer.append('d', 11, new Date(), { type: 'DEPLOY_SUCCEEDED' });
  assert.equal(openInPlace(path, isIndexed), undefined, 'its log holds a commit the file does not');
  const reader = openSqliteJournal(path, { access: 'read' });
  assert.equal((await reader.rows('d')).length, 12);
  await reader.close();
  await writer.close();
  assert.equal(openInPlace(join(dir, 'none.db'), isIndexed), undefined);
});

test('a writer checkpointing while a reader reads in place sends the reads to a snapshot: never a torn read', async () => {
  const { path } = await journalAtRest('race');
  // Each round opens the journal, appends to one deploy and closes it, which checkpoints the log
  // into the file and deletes it: the file changes under any reader reading it in place.
  const module = pathToFileURL(
    join(import.meta.dirname, '../../../src/adapters/journal/sqlite-journal.js'),
  ).href;
  const script = `const { openSqliteJournal } = await import(${JSON.stringify(module)});
    let seq = 0;
    for (let round = 0; round < 80; round++) {
      const journal = openSqliteJournal(${JSON.stringify(path)});
      for (let i = 0; i < 5; i++)
        await journal.append('w', seq++, new Date(), { type: 'PREFLIGHT_START', pad: 'x'.repeat(2000) });
      await journal.close();
    }`;
  const writer = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let running = true;
  const exited = new Promise<number | null>((resolve) =>
    writer.once('exit', (code) => {
      running = false;
      resolve(code);
    }),
  );
  let reads = 0;
  while (running) {
    const reader = openSqliteJournal(path, { access: 'read' });
    try {
      const [summary] = (await reader.deploys()).filter((d) => d.deploy_id === 'w');
      const rows = await reader.rows('w');
      // One deploy, appended alone: consecutive seqs, each row chained to the one before.
      rows.forEach((r, i) => {
        assert.equal(r.seq, i + 1);
        if (i > 0) assert.equal(r.prev_hash, rows[i - 1]!.hash, 'a read mixed two commits');
      });
      if (summary) assert.ok(summary.events <= rows.length, 'rows read after the summary hold fewer rows');
    } finally {
      await reader.close();
    }
    reads++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(await exited, 0);
  assert.ok(reads > 0, 'no read while the writer ran');
  const done = openSqliteJournal(path, { access: 'read' });
  assert.equal((await done.rows('w')).length, 400);
  assert.deepEqual(await done.verify(), { ok: true, rows: 411 });
  await done.close();
});
