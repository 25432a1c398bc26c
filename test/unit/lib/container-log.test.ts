import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isContainerLog, plainLog, unwrapContainerLog } from '../../../src/lib/container-log.js';

// Records as podman 4.3's k8s-file driver wrote them on this machine (RECIPES "Containers").
const T = '2026-11-29T00:11:38.407538818+00:00';

test('a k8s-file log is shown as the app wrote it: records unwrapped, split lines joined', () => {
  const log = `${T} stdout F hi\n${T} stderr F err\n${T} stdout P part one, \n${T} stdout F part two\n`;
  assert.equal(isContainerLog(log), true);
  assert.equal(unwrapContainerLog(log), 'hi\nerr\npart one, part two\n');
  assert.equal(plainLog(log), 'hi\nerr\npart one, part two\n');
  assert.equal(plainLog(`${T} stdout F \n`), '\n', 'an empty line stays a line');
  assert.equal(plainLog('2026-11-29T00:11:38Z stdout F utc\n'), 'utc\n');
});

test("a process's own log is left as it is, even with a line that looks like a record later", () => {
  const log = `listening on 8080\n${T} stdout F not a record here\n`;
  assert.equal(isContainerLog(log), false);
  assert.equal(plainLog(log), log);
  assert.equal(plainLog(''), '');
});
