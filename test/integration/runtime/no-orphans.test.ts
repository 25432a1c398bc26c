import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isCutoverError } from '../../../src/core/errors.js';
import { daemonStatus, ensureDaemon, stopDaemon } from '../../../src/runtime/client/daemon-control.js';
import { resolveRuntimePaths } from '../../../src/runtime/client/paths.js';
import { isAlive } from '../../../src/runtime/client/pid-file.js';
import { routerUrl, startTestRuntime, type TestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';
import {
  buildTrackedApp,
  isGone,
  killLeftovers,
  readPids,
  type TrackedImage,
} from '../../support/tracked-app.js';
import { waitUntil } from '../../support/wait-until.js';

/** pids the daemon logged for `Starting version` of `digest`, oldest first. */
function startedPids(stateDir: string, digest: string): number[] {
  return readFileSync(resolveRuntimePaths(stateDir).logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { msg: string; digest?: string; pid?: number })
    .filter((entry) => entry.msg === 'Starting version' && entry.digest === digest)
    .map((entry) => entry.pid as number);
}

function startRequest(image: TrackedImage, healthTimeoutMs: number) {
  return { release: image.release, layoutDir: image.layoutDir, healthTimeoutMs };
}

/** The state file is written asynchronously after a spawn: waits (2 s at most) until it names `pid`. */
async function waitUntilSaved(stateDir: string, pid: number): Promise<void> {
  const file = resolveRuntimePaths(stateDir).stateFile;
  for (let i = 0; i < 40 && !readFileSync(file, 'utf8').includes(`"pid": ${pid}`); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * For one describe: a runtime of its own with an empty `production`. The pids a test pushes to
 * `seen` are killed after the describe, whatever the test left running.
 */
function useEmptyRuntime(): { readonly runtime: TestRuntime; seen: number[] } {
  let runtime: TestRuntime;
  const seen: number[] = [];
  before(async () => {
    runtime = await startTestRuntime();
    await runtime.client.putEnvironment('production', { port: 0 });
  });
  after(async () => {
    killLeftovers(seen, runtime.dir);
    await runtime.dispose();
  });
  return {
    get runtime() {
      return runtime;
    },
    seen,
  };
}

describe('no orphaned processes: a start that throws', () => {
  const world = useEmptyRuntime();

  test('a health path the probe cannot send fails the start and stops its process group', async () => {
    // Input validation refuses such a path; an image from elsewhere can still carry it.
    const image = await buildTrackedApp(world.runtime.dir, '1.0.0', {
      healthy: true,
      healthPath: '/health HTTP/1.1\r\nX: y',
    });
    const err = await world.runtime.client.startVersion('production', startRequest(image, 10_000)).then(
      () => assert.fail('a start whose probe throws cannot succeed'),
      (e: unknown) => e,
    );
    const [pid] = startedPids(world.runtime.stateDir, image.release.digest);
    assert.ok(pid !== undefined, 'the daemon logged the process it started');
    world.seen.push(pid);
    assert.ok(await isGone(pid), `the process of the failed start (pid ${pid}) still runs`);
    assert.ok(isCutoverError(err));
    assert.equal(err.code, 'E_APPLY_FAILED');
    assert.match(err.message, /could not be health-checked on "\/health HTTP\/1.1\\r\\nX: y"/);
    const status = await world.runtime.client.status();
    assert.deepEqual(status.processes, [], 'nothing of the failed start is left to list');
  });
});

describe('no orphaned processes: a start whose leader exits', () => {
  const world = useEmptyRuntime();

  test('what the leader forked before it exited is stopped with it', async () => {
    const image = await buildTrackedApp(world.runtime.dir, '1.5.0', { healthy: true, exitAfterFork: true });
    const err = await world.runtime.client.startVersion('production', startRequest(image, 10_000)).then(
      () => assert.fail('a process that exits cannot become healthy'),
      (e: unknown) => e,
    );
    const pids = await readPids(image.pidsFile);
    world.seen.push(pids.child);
    assert.ok(await isGone(pids.child), `the child (pid ${pids.child}) outlived its failed start`);
    assert.ok(isCutoverError(err) && err.code === 'E_APPLY_FAILED', String(err));
    assert.match(err.message, /exited with code 1 before it was healthy/);
  });
});

describe('no orphaned processes: runtime stop during a slow start', () => {
  const world = useEmptyRuntime();
  let pids: { app: number; child: number };
  let pending: Promise<unknown>;

  test('runtime status lists a process still being started, with its pid and state', async () => {
    const image = await buildTrackedApp(world.runtime.dir, '2.0.0-slow', { healthy: false });
    pending = world.runtime.client.startVersion('production', startRequest(image, 120_000)).then(
      () => assert.fail('a version that never answers 200 cannot start'),
      (err: unknown) => err,
    );
    pids = await readPids(image.pidsFile);
    world.seen.push(pids.app, pids.child);
    const status = await daemonStatus(world.runtime.stateDir);
    assert.deepEqual(
      status.processes?.map((p) => [p.environment, p.release.tag, p.release.digest, p.pid, p.state]),
      [['production', image.release.tag, image.release.digest, pids.app, 'starting']],
    );
    assert.deepEqual(status.environments?.[0]?.versions, [], 'not routable: not a version yet');
  });

  test('runtime stop aborts the start and leaves no process behind, children included', async () => {
    assert.equal(await stopDaemon(world.runtime.stateDir), true);
    const err = await pending;
    // The start was aborted by the stop: not failed by its 120 s health timeout, nor cut off by
    // the daemon being killed after stopDaemon gave up waiting for it.
    assert.ok(isCutoverError(err) && err.code === 'E_RUNTIME_UNAVAILABLE', String(err));
    assert.match(err.message, /^the runtime is shutting down; 2\.0\.0-slow-\S+ was stopped$/);
    assert.ok(await isGone(pids.app), `the app being started (pid ${pids.app}) survived the stop`);
    assert.ok(await isGone(pids.child), `what it forked (pid ${pids.child}) survived the stop`);
  });
});

describe('no orphaned processes: a daemon killed during a slow start', () => {
  const world = useEmptyRuntime();

  test('the next daemon kills the process the dead one was starting', async () => {
    const image = await buildTrackedApp(world.runtime.dir, '3.0.0-slow', { healthy: false });
    const pending = world.runtime.client
      .startVersion('production', startRequest(image, 120_000))
      .catch((err: unknown) => err);
    const pids = await readPids(image.pidsFile);
    world.seen.push(pids.app, pids.child);
    const daemon = (await world.runtime.client.status()).pid;
    await waitUntilSaved(world.runtime.stateDir, pids.app);
    process.kill(daemon, 'SIGKILL');
    assert.ok(await isGone(daemon));
    await pending;
    assert.ok(isAlive(pids.app), 'a process outlives a daemon killed with -9');
    const restarted = await ensureDaemon(world.runtime.stateDir);
    assert.ok(await isGone(pids.app), `the orphan (pid ${pids.app}) was not reaped`);
    assert.ok(await isGone(pids.child), `its child (pid ${pids.child}) was not reaped`);
    assert.deepEqual((await restarted.status()).processes, []);
  });
});

describe('no orphaned processes: a daemon killed while a version drains', () => {
  const world = useEmptyRuntime();

  /** The digests of the versions the saved state wants back. */
  const savedVersions = (): string[] => {
    const saved = JSON.parse(readFileSync(resolveRuntimePaths(world.runtime.stateDir).stateFile, 'utf8')) as {
      environments: Record<string, { versions: Array<{ release: { digest: string } }> }>;
    };
    return Object.values(saved.environments).flatMap((e) => e.versions.map((v) => v.release.digest));
  };

  test('the next daemon kills the process the dead one was retiring', async () => {
    const image = await buildTrackedApp(world.runtime.dir, '4.0.0', { healthy: true });
    const { digest } = image.release;
    await world.runtime.client.startVersion('production', startRequest(image, 30_000));
    await world.runtime.client.setWeights('production', { [digest]: 100 });
    const pids = await readPids(image.pidsFile);
    world.seen.push(pids.app, pids.child);
    // A request the app never answers keeps the version draining for as long as drain_timeout.
    const held = httpRequest(`${await routerUrl(world.runtime.client, 'production')}/hold`).catch(
      () => undefined,
    );
    await waitUntil(
      async () => (await world.runtime.client.getEnvironment('production')).versions[0]?.inflight === 1,
      'the held request to be in flight',
    );
    const stopping = world.runtime.client
      .stopVersion('production', digest, 600_000)
      .catch((err: unknown) => err);
    await waitUntil(() => !savedVersions().includes(digest), 'the saved state to stop wanting the version');
    assert.equal((await world.runtime.client.status()).processes?.[0]?.state, 'stopping');
    const daemon = (await world.runtime.client.status()).pid;
    process.kill(daemon, 'SIGKILL');
    assert.ok(await isGone(daemon));
    await Promise.all([stopping, held]);
    assert.ok(isAlive(pids.app), 'a process outlives a daemon killed with -9');
    const restarted = await ensureDaemon(world.runtime.stateDir);
    assert.ok(await isGone(pids.app), `the version being retired (pid ${pids.app}) was not reaped`);
    assert.ok(await isGone(pids.child), `its child (pid ${pids.child}) was not reaped`);
    assert.deepEqual((await restarted.status()).processes, []);
  });
});
