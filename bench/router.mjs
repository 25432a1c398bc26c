// Router throughput and latency: wrk straight at the stable backend, through cutover's router
// (in a real runtime daemon) at a sticky 95/5 split, and through HAProxy at the same split; then,
// under load, the time from "set canary to 0 %" to the canary's last request, for both routers.
// Run after `npm run build`:  node bench/router.mjs [--rounds 3] [--duration 6] [--connections 50]
//   [--threads 1] [--warmup 2] [--unloaded-duration 3] [--shift-duration 4]
// Every target gets the same wrk settings and the same warm-up. cutover and HAProxy alternate for
// `rounds` rounds and each figure is its median over the rounds: on a shared host, a neighbour's
// burst (see the steal column) then skews one round, not the whole comparison.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, cleanUpOnSignals, onCleanup } from './router/cleanup.mjs';
import { haproxyInstalled, startHaproxy } from './router/haproxy.mjs';
import { createPhases } from './router/phases.mjs';
import { printReport } from './router/report.mjs';
import { startCutover } from './router/runtime.mjs';
import { writeWrkScript } from './router/wrk.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`bench/router: --${name} must be a whole number ≥ 1, got ${JSON.stringify(args[i + 1])}`);
    process.exit(2);
  }
  return value;
};
const load = {
  threads: option('threads', 1),
  connections: option('connections', 50),
  seconds: option('duration', 6),
};
const rounds = option('rounds', 3);
const warmup = { ...load, seconds: option('warmup', 2) };
// One connection: no queueing, so p50 is the latency a router adds, not its throughput.
const unloaded = { threads: 1, connections: 1, seconds: option('unloaded-duration', 3) };
const shiftSeconds = option('shift-duration', 4);

cleanUpOnSignals();
try {
  execFileSync('wrk', ['-v'], { stdio: 'ignore' });
} catch (err) {
  // wrk -v exits 1 after printing its version; only a missing binary is a problem.
  if (err.code === 'ENOENT') throw new Error('wrk is not installed (apt-get install wrk)');
}
const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-router-'));
onCleanup(() => rmSync(dir, { recursive: true, force: true }));

try {
  const script = writeWrkScript(dir);
  const cutover = await startCutover(dir);
  const haproxyPort = await freePort();
  const haproxy = haproxyInstalled()
    ? await startHaproxy(dir, haproxyPort, cutover.stablePort, cutover.canaryPort)
    : (console.log('HAProxy not installed (/usr/sbin/haproxy): skipping it'), null);
  console.log(
    `backend ${cutover.backend}; wrk -t${load.threads} -c${load.connections} -d${load.seconds}s ` +
      `after a ${warmup.seconds}s warm-up, then -c1 -d${unloaded.seconds}s unloaded; ` +
      `cutover ${cutover.routerPids.length} router process(es); HAProxy ${haproxy ? `${haproxy.threads} thread(s)` : 'skipped'}`,
  );

  const phases = createPhases({
    script,
    load,
    warmup,
    unloaded,
    shiftSeconds,
    stablePort: cutover.stablePort,
    canaryPort: cutover.canaryPort,
    ourPids: () => [...cutover.routerPids, ...cutover.versionPids, ...(haproxy ? [haproxy.pid] : [])],
  });
  const direct = await phases.measure(cutover.stablePort, null);
  const pairs = [];
  for (let round = 0; round < rounds; round++) {
    const ours = await phases.measure(cutover.routerPort, cutover.routerPids);
    pairs.push({ cutover: ours, haproxy: haproxy ? await phases.measure(haproxyPort, [haproxy.pid]) : null });
  }
  const shifts = { cutover: await phases.shift(cutover.routerPort, () => cutover.setCanary(0)) };
  if (haproxy) shifts.haproxy = await phases.shift(haproxyPort, () => haproxy.setWeight('canary', 0));
  printReport(direct, pairs, shifts);
} finally {
  await cleanup();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
