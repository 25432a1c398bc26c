import { DEFAULT_LIMITS } from '../../../src/runtime/http/router-limits.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WireTable } from '../../../src/runtime/workers/router-wire.js';
import type { RouterWorkers } from '../../../src/runtime/workers/router-workers.js';
import { startRouterProcess } from '../../support/router-process.js';
import { httpRequest, startInProcessBackend, type InProcessBackend } from '../../support/runtime-http.js';
import { makeTempDir } from '../../support/tmp.js';
import { waitUntil } from '../../support/wait-until.js';

// Durations go up to 30 days; one Node timer holds 24.8. An overflowing timer fires after 1 ms.
const THIRTY_DAYS_MS = 30 * 24 * 3_600_000;
const APP = fileURLToPath(new URL('../../../src/cli/app.js', import.meta.url));

test("the executor's sleep of 30 days (a canary's observe) is still asleep after a 1 s timer set after it", async () => {
  const tmp = makeTempDir('cutover-sleep-');
  try {
    // The child says when its sleep is armed, then arms a 1 s timer of its own. Node runs due
    // timers in the order they expire, however late the machine gets to them: a 30-day sleep that
    // overflowed (to 1 ms) would print "woke" before "still asleep", whatever the load.
    const script =
      `const { openApp } = await import(${JSON.stringify(APP)});` +
      `const ctx = openApp({ stateDir: ${JSON.stringify(join(tmp.dir, 'state'))} }).context(() => {});` +
      `void ctx.sleep(${THIRTY_DAYS_MS}).then(() => process.stdout.write('woke\\n'));` +
      `process.stdout.write('sleeping\\n');` +
      `setTimeout(() => process.stdout.write('still asleep\\n'), 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: tmp.dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await waitUntil(
        () => stdout.includes('still asleep') || stdout.includes('woke'),
        'the child to report',
      );
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    assert.equal(stdout, 'sleeping\nstill asleep\n', 'the sleep ended early');
    assert.doesNotMatch(stderr, /TimeoutOverflowWarning/);
  } finally {
    tmp.cleanup();
  }
});

describe('a drain_timeout of 30 days, in a router process', () => {
  const tmp = makeTempDir('cutover-long-drain-');
  let workers: RouterWorkers;
  let slowApp: InProcessBackend;
  let base = '';
  const table = (weight: number): WireTable => ({
    header: 'x-user-id',
    groupId: 'g',
    limits: DEFAULT_LIMITS,
    entries: [{ digest: 'sha256:a', port: slowApp.port, weight, healthy: true }],
  });

  before(async () => {
    slowApp = await startInProcessBackend('a');
    ({ workers, base } = await startRouterProcess(join(tmp.dir, 'state'), 'production', table(100)));
  });

  after(async () => {
    await workers.close('production');
    workers.stop();
    await slowApp.close();
    tmp.cleanup();
  });

  test('waits for the request in flight; the process is not killed as silent after 1 ms', async () => {
    const pids = workers.pids();
    let answeredAt = 0;
    const slow = httpRequest(`${base}/slow?ms=800`).then(
      (reply) => ((answeredAt = performance.now()), reply),
    );
    await waitUntil(
      async () => (await workers.counters('production')).backends['sha256:a']?.inflight === 1,
      'the request to be in flight',
    );
    await workers.setTable('production', {
      header: 'x-user-id',
      groupId: 'g',
      limits: DEFAULT_LIMITS,
      entries: [],
    });
    assert.equal(await workers.drain('production', 'sha256:a', THIRTY_DAYS_MS), true);
    assert.ok(answeredAt > 0, 'drain returned before the request ended');
    assert.equal((await slow).status, 200);
    assert.deepEqual(workers.pids(), pids, 'the router process was killed');
  });
});
