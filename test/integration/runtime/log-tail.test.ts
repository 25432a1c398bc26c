import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLogTail } from '../../../src/lib/log-tail.js';
import { makeTempDir } from '../../support/tmp.js';

const tmp = makeTempDir('cutover-log-tail-');
after(() => tmp.cleanup());

const SECRET = 'db-pa55word-4be1c9';

test("a version's log tail never starts with the end of a line the 4 KiB window cut", async () => {
  // The window (the last 4096 bytes) starts 5 characters into the secret: shown, the rest of that
  // line would be "55word-4be1c9", which no redaction of the whole secret can match.
  const line = `DATABASE_URL=${SECRET}\n`;
  const after = 4096 - (line.length - 'DATABASE_URL='.length - 5);
  const filler = [0, 1, 2].map((i) => `${String(i).repeat(999)}\n`).join('');
  const last = `${'3'.repeat(after - filler.length - 1)}\n`;
  assert.equal(filler.length + last.length, after);
  const file = join(tmp.dir, 'cut.log');
  writeFileSync(file, `starting\n${line}${filler}${last}`);
  const tail = await readLogTail(file);
  assert.ok(!tail.includes(SECRET.slice(5)), `the cut line is shown: ${tail.slice(0, 40)}…`);
  assert.deepEqual(
    tail.split('\n').map((l) => l.slice(0, 3)),
    ['000', '111', '222', '333'],
  );
});

test('a log that fits in the window is shown from its first line; one long line is not shown', async () => {
  const small = join(tmp.dir, 'small.log');
  writeFileSync(small, 'first line\nsecond line\n');
  assert.equal(await readLogTail(small), 'first line\nsecond line');
  const long = join(tmp.dir, 'long.log');
  writeFileSync(long, `${'x'.repeat(10_000)}\n`);
  assert.equal(await readLogTail(long), '(its last line is longer than 4096 bytes: not shown)');
  assert.equal(await readLogTail(join(tmp.dir, 'missing.log')), '');
});
