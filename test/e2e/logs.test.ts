import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';

// An app that says on stdout what it serves.
const CHATTY = `require('http').createServer((q, s) => { if (q.url !== '/health') console.log('served ' + q.url);
s.end(JSON.stringify({ version: process.env.APP_VERSION })); }).listen(+process.env.PORT, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));`;

let project: Awaited<ReturnType<typeof makeProject>>;
before(async () => {
  project = await makeProject();
  assert.equal((await project.cli(['flags', 'create', 'ff-shop'])).code, 0);
});
after(() => project.dispose());

test('cutover logs prints what the serving process wrote, its last --lines, and names what it cannot find', async () => {
  const nothing = await project.cli(['logs', 'production']);
  assert.equal(nothing.code, 2, nothing.stderr);
  assert.match(nothing.stderr, /E_NOT_FOUND: nothing runs in production; name a version with --version/);
  const changeset = writeSampleChangeset(project.dir, 'chatty', {
    version: '1.0.0',
    run: { command: ['node', '-e', CHATTY] },
  });
  const run = await project.deploy(changeset, 'fast-track');
  assert.equal(run.code, 0, run.stderr);
  for (const path of ['a', 'b', 'c']) await fetch(`${project.url()}${path}`);
  const all = await project.cli(['logs', 'production']);
  assert.equal(all.code, 0, all.stderr);
  assert.equal(all.stdout, 'served /a\nserved /b\nserved /c\n');
  assert.equal((await project.cli(['logs', 'production', '--lines', '1'])).stdout, 'served /c\n');
  const badCount = await project.cli(['logs', 'production', '--lines', 'many']);
  assert.equal(badCount.code, 2);
  assert.match(badCount.stderr, /E_INVALID_INPUT: --lines: many is not a count of lines/);
  assert.equal((await project.cli(['--version'])).stdout, '0.1.0\n', 'cutover --version still answers');
});
