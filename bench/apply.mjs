// Time for a new version to take traffic, three ways, taking turns first, same runnable image:
// - process: the local runtime's process runner (target.start + target.route, as APPLY does);
// - podman: the same with `runner: podman` (adopt-or-run, health, route);
// - by hand: `podman run -d --network host` of the same image, then GETs every 10 ms until 200.
// Two versions alternate, so every run starts a version that is not running; their images are
// built and pulled into podman before the runs, so no run pays for a pull (nor does the peer).
// The goal (issue 13): podman ≤ 1.2 × by hand. Run after `npm run build`:
//   node bench/apply.mjs [--runs 10]
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 10;
const dist = new URL('../dist/', import.meta.url).pathname;
const load = (path) => import(join(dist, path));
const { startTestRuntime } = await load('test/support/runtime-daemon.js');
const { buildRunnableTestApp } = await load('test/support/runtime-apps.js');
const { nodeBaseLayout } = await load('test/support/node-base-image.js');
const { createLocalRuntimeTarget } = await load('src/adapters/target/local-runtime.js');
const { pullContainerImage } = await load('src/lib/podman/pull-image.js');
const { PODMAN_GLOBAL_ARGS, PODMAN_ULIMIT_ARGS } = await load('src/lib/podman/podman-command.js');
const { findFreePort } = await load('src/runtime/daemon/loopback-probe.js');

const podman = (...a) => execFileSync('podman', [...PODMAN_GLOBAL_ARGS, ...a], { encoding: 'utf8' }).trim();
const runtime = await startTestRuntime();
const root = join(runtime.dir, 'registry');
cpSync((await nodeBaseLayout()).layoutDir, join(root, 'nodebase'), { recursive: true });
const versions = [
  await buildRunnableTestApp(runtime.dir, root, '1.0.0'),
  await buildRunnableTestApp(runtime.dir, root, '2.0.0'),
];
const images = [];
for (const v of versions) {
  images.push(
    await pullContainerImage({ image: `oci:${v.layoutDir}:${v.release.tag}`, tls_verify: true }, v.release),
  );
}
const OPTIONS = { healthTimeoutMs: 30_000, drainTimeoutMs: 0 };

/** One runner's loop: start the other version, route all traffic to it, then stop the old one. */
async function runnerTimes(label, podmanSource) {
  const target = createLocalRuntimeTarget({
    stateDir: runtime.stateDir,
    environment: label,
    ...podmanSource,
  });
  const times = [];
  await target.start(versions[0].release, versions[0].layoutDir, OPTIONS);
  await target.route({ [versions[0].release.digest]: 100 });
  for (let i = 1; i <= runs; i++) {
    const [next, old] = i % 2 ? [versions[1], versions[0]] : [versions[0], versions[1]];
    const t0 = performance.now();
    await target.start(next.release, next.layoutDir, OPTIONS);
    await target.route({ [next.release.digest]: 100 });
    times.push(performance.now() - t0);
    await target.stop(old.release.digest, OPTIONS);
  }
  await target.restore({ environment: label, versions: [] }, OPTIONS);
  return times;
}

async function byHandTimes() {
  const times = [];
  for (let i = 1; i <= runs; i++) {
    const port = await findFreePort();
    const name = `cutover-bench-apply-${process.pid}-${i}`;
    const t0 = performance.now();
    podman(
      'run',
      '--detach',
      '--name',
      name,
      '--network',
      'host',
      ...PODMAN_ULIMIT_ARGS,
      '--env',
      `PORT=${port}`,
      '--env',
      'HOST=127.0.0.1',
      images[i % 2],
    );
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    times.push(performance.now() - t0);
    podman('rm', '--force', '--time', '0', name);
  }
  return times;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  // Taking turns first: whichever goes first warms the page cache for the others.
  const hand = await byHandTimes();
  const proc = await runnerTimes('bench-process', {});
  const pod = await runnerTimes('bench-podman', { podman: { registry: 'oci-layout' } });
  const [h, p, c] = [median(hand), median(proc), median(pod)];
  console.log(
    `time to take traffic, median of ${runs} (ms): process runner ${p.toFixed(0)}, podman runner ${c.toFixed(0)}, podman run + GET loop by hand ${h.toFixed(0)}`,
  );
  console.log(
    `podman runner / by hand: ${(c / h).toFixed(2)}× (goal ≤ 1.2×); process runner / by hand: ${(p / h).toFixed(2)}×`,
  );
} finally {
  await runtime.dispose();
  for (const v of versions)
    execFileSync('podman', [...PODMAN_GLOBAL_ARGS, 'rmi', '--force', `localhost/shop:${v.release.tag}`], {
      stdio: 'ignore',
    });
}
