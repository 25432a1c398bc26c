// Wall time of a fast-track deploy to a fleet of sshd hosts (network namespaces on a test bridge,
// as the e2e tests make them), for 1, 5 and 20 hosts with rollout.parallel 5 and 20, and what it
// costs the CLI: CPU per host, and SSH connections opened per host (counted from the kernel's
// socket table, sampled every 50 ms during the deploy). The goal (issue 15): time(20 hosts) ≤ 3 ×
// time(1 host) with parallel 20, and one connection per host. Needs root, sshd, and a build:
//   npm run build && node bench/fleet.mjs [--hosts 20]
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { stringify } from 'yaml';

const args = process.argv.slice(2);
const max = args.includes('--hosts') ? Number(args[args.indexOf('--hosts') + 1]) : 20;
const dist = new URL('../dist/', import.meta.url).pathname;
const load = (path) => import(join(dist, path));
const { startSshFleet } = await load('test/support/ssh-fleet.js');
const { writeSampleChangeset } = await load('test/support/sample-app.js');
const { makeTempDir } = await load('test/support/tmp.js');
const CLI = join(dist, 'src/cli/main.js');

const fleet = await startSshFleet(max);
const tmp = makeTempDir('cutover-bench-fleet-');
// interrupted, it still tears its namespaces and bridge down
process.once('SIGINT', () => void fleet.stop().finally(() => process.exit(130)));
const stateDir = join(tmp.dir, '.cutover');
writeFileSync(join(tmp.dir, 'known_hosts'), fleet.knownHosts);

/** Runs the CLI; returns its wall time (ms), its CPU (user+sys, ms, children included) and output. */
function cutover(cliArgs) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // bash's `time` reports the CLI's CPU with its children's: TIMEFORMAT is user and sys seconds
    const child = spawn('bash', ['-c', 'TIMEFORMAT="%U %S"; time node "$@"', 'bash', CLI, ...cliArgs], {
      cwd: tmp.dir,
      env: { ...process.env, CUTOVER_STATE_DIR: stateDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = performance.now() - started;
      const [user, sys] = err.trim().split('\n').at(-1).split(' ').map(Number);
      if (code !== 0) reject(new Error(`cutover ${cliArgs.join(' ')}: exit ${code}\n${out}\n${err}`));
      else resolve({ wall, cpu: (user + sys) * 1000, out, err });
    });
  });
}

/** Distinct TCP connections to port 22 of the fleet seen while `act` runs. */
async function countConnections(act) {
  const seen = new Set();
  const sample = () => {
    const lines = execFileSync('ss', ['-tnH', 'state', 'established', '( dport = :22 )'], {
      encoding: 'utf8',
    });
    for (const line of lines.split('\n'))
      if (line.trim()) seen.add(line.trim().split(/\s+/).slice(-2).join(' '));
  };
  const timer = setInterval(sample, 50);
  try {
    const result = await act();
    return { ...result, connections: seen.size };
  } finally {
    clearInterval(timer);
  }
}

function configure(hosts, parallel) {
  const target = {
    type: 'ssh',
    hosts: hosts.map((h) => h.address),
    identity_file: fleet.identityFile,
    known_hosts: './known_hosts',
    port: 7080,
    agent_dir: '/srv/cutover',
    health_timeout: '30s',
    drain_timeout: '1s',
    rollout: { parallel, canary_hosts: 1 },
  };
  const config = { baseline: { window: '1s', min_samples: 5 }, environments: { production: { target } } };
  writeFileSync(join(tmp.dir, 'cutover.yaml'), stringify(config));
}

const rows = [];
try {
  configure(fleet.hosts, 20);
  const setup = await cutover(['hosts', 'setup', '--env', 'production']);
  console.log(`hosts setup of ${max} hosts: ${(setup.wall / 1000).toFixed(1)} s`);
  await cutover(['flags', 'create', 'ff-bench']);
  let n = 0;
  for (const [count, parallel] of [
    [1, 5],
    [5, 5],
    [max, 5],
    [1, 20],
    [5, 20],
    [max, 20],
  ]) {
    configure(fleet.hosts.slice(0, count), parallel);
    const changeset = writeSampleChangeset(tmp.dir, `v${++n}`, { version: `${n}.0.0`, flag: 'ff-bench' });
    const deploy = [
      'deploy',
      '-c',
      changeset,
      '--env',
      'production',
      '--strategy',
      'fast-track',
      '--output',
      'json',
    ];
    const run = await countConnections(() => cutover(deploy));
    rows.push({ count, parallel, ...run });
    console.log(
      `${String(count).padStart(3)} host(s), parallel ${String(parallel).padStart(2)}: ` +
        `${(run.wall / 1000).toFixed(1)} s wall, CLI CPU ${(run.cpu / count).toFixed(0)} ms/host, ` +
        `${run.connections} SSH connection(s) (${(run.connections / count).toFixed(1)}/host)`,
    );
  }
  const one = rows.find((r) => r.count === 1 && r.parallel === 20);
  const all = rows.find((r) => r.count === max && r.parallel === 20);
  console.log(
    `time(${max} hosts) / time(1 host), parallel 20: ${(all.wall / one.wall).toFixed(2)}× (goal ≤ 3×)`,
  );
} finally {
  await fleet.stop();
  tmp.cleanup();
}
