import { DEFAULT_LIMITS } from '../../../src/runtime/http/router-limits.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backend } from '../../../src/runtime/http/backend.js';
import { createNullLogger } from '../../../src/lib/logger.js';
import { Router } from '../../../src/runtime/http/router.js';
import type { WireTable } from '../../../src/runtime/workers/router-wire.js';
import type { RouterWorkers } from '../../../src/runtime/workers/router-workers.js';
import { buildRoutingTable } from '../../../src/runtime/http/routing-table.js';
import { WorkerLink } from '../../../src/runtime/workers/worker-link.js';
import { freePort } from '../../support/ports.js';
import { place, startRouterProcess } from '../../support/router-process.js';
import { httpRequest, startInProcessBackend, type InProcessBackend } from '../../support/runtime-http.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await sleep(10);
  }
  assert.fail(`timed out waiting until ${what}`);
}

/** One request on a connection of its own, so the kernel picks the accepting process anew. */
async function versionAt(url: string, userId = 'u'): Promise<string> {
  const reply = await httpRequest(url, { headers: { 'x-user-id': userId, connection: 'close' } });
  assert.equal(reply.status, 200, reply.body);
  return (JSON.parse(reply.body) as { version: string }).version;
}

describe('router processes beside the daemon', () => {
  let dir = '';
  let workers: RouterWorkers;
  let a: InProcessBackend;
  let b: InProcessBackend;
  let base = '';
  const entry = (backend: InProcessBackend, weight: number) => ({
    digest: `sha256:${backend.name}`,
    port: backend.port,
    weight,
    healthy: true,
  });
  const table = (weightOfA: number): WireTable => ({
    header: 'x-user-id',
    groupId: 'g',
    limits: DEFAULT_LIMITS,
    entries: [entry(b, 100 - weightOfA), entry(a, weightOfA)],
  });
  // What the daemon sends when it stops a version: a table without it.
  const withoutA = (): WireTable => ({
    header: 'x-user-id',
    groupId: 'g',
    limits: DEFAULT_LIMITS,
    entries: [entry(b, 100)],
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-workers-'));
    a = await startInProcessBackend('a');
    b = await startInProcessBackend('b');
    ({ workers, base } = await startRouterProcess(join(dir, 'state'), 'production', table(100)));
  });

  after(async () => {
    await workers.close('production');
    workers.stop();
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('routes with the table it was sent; a new table is in force once setTable resolves', async () => {
    for (let i = 0; i < 10; i++) assert.equal(await versionAt(`${base}/`, `user-${i}`), 'a');
    await workers.setTable('production', table(0));
    for (let i = 0; i < 10; i++) assert.equal(await versionAt(`${base}/`, `user-${i}`), 'b');
  });

  test('hands the samples of the requests it served to the daemon', async () => {
    await workers.setTable('production', table(0));
    // The window is re-based on arrival in the router process, so it gets 100 ms of slack for
    // the IPC delay; the pause keeps the previous test's requests out of that slack.
    await sleep(200);
    const startedAt = performance.now();
    for (let i = 0; i < 12; i++) await versionAt(`${base}/`);
    const window = () => performance.now() - startedAt + 100;
    const ofB = await workers.samples('production', ['sha256:b'], window());
    const statuses = ofB.flatMap((batch) => [...batch.statuses]);
    assert.deepEqual(statuses, new Array(12).fill(200));
    assert.ok(ofB.every((batch) => batch.latencies.every((ms) => ms > 0 && ms < 5000)));
    const ofA = await workers.samples('production', ['sha256:a'], window());
    assert.equal(
      ofA.reduce((n, batch) => n + batch.latencies.length, 0),
      0,
    );
  });

  test('drain resolves once the request in flight to the version has finished', async () => {
    await workers.setTable('production', table(100));
    let answeredAt = 0;
    const slow = httpRequest(`${base}/slow?ms=600`).then((reply) => {
      answeredAt = performance.now();
      return reply;
    });
    await waitFor('the request is in flight', async () => {
      return (await workers.counters('production')).backends['sha256:a']?.inflight === 1;
    });
    await workers.setTable('production', withoutA());
    const drained = await workers.drain('production', 'sha256:a', 5000);
    const drainedAt = performance.now();
    assert.equal(drained, true);
    assert.ok(answeredAt > 0 && answeredAt <= drainedAt, 'the slow request finished before the drain did');
    assert.equal((await slow).status, 200);
    assert.equal(
      (await workers.counters('production')).backends['sha256:a'],
      undefined,
      'a drained backend is gone',
    );
  });

  test('drain gives up after its timeout and says so', async () => {
    await workers.setTable('production', table(100));
    let finished = false;
    const slow = httpRequest(`${base}/slow?ms=2000`).finally(() => (finished = true));
    await waitFor('the request is in flight', async () => {
      return (await workers.counters('production')).backends['sha256:a']?.inflight === 1;
    });
    await workers.setTable('production', withoutA());
    assert.equal(await workers.drain('production', 'sha256:a', 200), false);
    assert.equal(finished, false, 'drain returned at its timeout, with the request still running');
    // Stopping the version is the daemon's next step; here it lives on and still answers.
    assert.equal((await slow).status, 200);
  });

  test('a router process that dies is started again with every listener and table', async () => {
    // Here the test process plays the daemon: its own router accepts too, with the same table.
    const router = new Router('staging');
    const local = new Backend('sha256:a', a.port);
    router.setTable(buildRoutingTable('x-user-id', 'g', [{ backend: local, weight: 100, healthy: true }]));
    await router.listen(0, (server) => workers.listen('staging', server));
    await workers.setTable('staging', {
      header: 'x-user-id',
      groupId: 'g',
      limits: DEFAULT_LIMITS,
      entries: [entry(a, 100)],
    });
    try {
      const [pid] = workers.pids();
      process.kill(pid as number, 'SIGKILL');
      let restarted: number | undefined;
      for (let i = 0; i < 100 && (restarted === undefined || restarted === pid); i++) {
        await sleep(50);
        [restarted] = workers.pids();
      }
      assert.ok(restarted !== undefined && restarted !== pid, 'a new router process was started');
      // While it starts up, connections keep coming: none may fail, and none may meet the new
      // process before it has its table (it gets the table before the socket).
      const url = `http://127.0.0.1:${router.port}/`;
      for (const early = Date.now(); Date.now() - early < 1500;) {
        const versions = await Promise.all(Array.from({ length: 4 }, () => versionAt(url)));
        assert.deepEqual(versions, ['a', 'a', 'a', 'a']);
      }
      // Answered once the new process has taken the listener and table it was handed at start.
      await workers.counters('staging');
      const served = 200;
      const from = performance.now();
      for (let i = 0; i < served; i++) assert.equal(await versionAt(url), 'a');
      let here = 0;
      local.window.forEachSince(from, () => here++);
      assert.ok(
        here < served,
        `the new router process accepted some of the ${served} connections (here: ${here})`,
      );
    } finally {
      await workers.close('staging');
      await router.close();
      local.dispose();
    }
  });

  test('a router moving to another port takes the router processes along; the old port is freed', async () => {
    const router = new Router('moving');
    const local = new Backend('sha256:a', a.port);
    router.setTable(buildRoutingTable('x-user-id', 'g', [{ backend: local, weight: 100, healthy: true }]));
    await workers.setTable('moving', {
      header: 'x-user-id',
      groupId: 'g',
      limits: DEFAULT_LIMITS,
      entries: [entry(a, 100)],
    });
    const share = (server: Server) => workers.listen('moving', server);
    try {
      await router.listen(0, share);
      const oldPort = router.port;
      await router.listen(await freePort(), share);
      await assert.rejects(httpRequest(`http://127.0.0.1:${oldPort}/`), /ECONNREFUSED/);
      const served = 200;
      for (let i = 0; i < served; i++) assert.equal(await versionAt(`http://127.0.0.1:${router.port}/`), 'a');
      let here = 0;
      local.window.forEachSince(0, () => here++);
      assert.ok(here < served, `the router process accepts on the new port too (here: ${here} of ${served})`);
    } finally {
      await workers.close('moving');
      await router.close();
      local.dispose();
    }
  });

  test('a router process that fails a command is killed, not left routing with a stale table', async () => {
    let exited: { code: number | null; signal: string | null } | null = null;
    const link = new WorkerLink(9, place(join(dir, 'state')), createNullLogger(), (_link, code, signal) => {
      exited = { code, signal };
    });
    // A listen that comes without its socket: the process answers with an error.
    assert.equal(await link.request({ type: 'listen', environment: 'x' }, 'fallback', 5000), 'fallback');
    await waitFor('the process is gone', async () => exited !== null);
    assert.deepEqual(exited, { code: null, signal: 'SIGKILL' });
    assert.equal(await link.request({ type: 'counters', environment: 'x' }, 'gone', 5000), 'gone');
  });
});
