import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNullLogger } from '../../../src/lib/logger.js';
import { resolveRuntimePaths } from '../../../src/runtime/client/paths.js';
import { Runtime } from '../../../src/runtime/daemon/runtime.js';

// A change answered just before a shutdown must be what the next daemon restores: the daemon
// used to exit with the last save still queued, and came back with the change before it.
test('shutdown returns only once the last change is saved', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'cutover-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const paths = resolveRuntimePaths(stateDir);
  const runtime = new Runtime(stateDir, paths, createNullLogger());
  await runtime.putEnvironment('production', { port: 0, group_id: 'ff-first' });
  for (let i = 0; i < 20; i++) {
    await runtime.putEnvironment('production', { port: 0, group_id: `ff-${i}` });
  }
  await runtime.shutdown();
  const saved = JSON.parse(readFileSync(paths.stateFile, 'utf8')) as {
    environments: Record<string, { group_id: string }>;
  };
  assert.equal(saved.environments.production?.group_id, 'ff-19');
});
