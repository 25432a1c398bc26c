// Start time of cutover against a long history: `cutover status` and a deploy that aborts at
// preflight (its DoD is 8/9), run against a state dir with 10 past deploys and one with 5,000,
// taking turns. Each run times both back to back, so their ratio sees the same load on a shared
// host; the ratio printed is the median over the runs. Target: 5,000/10 within 1.2x.
// Run after `npm run build`:  node bench/status-start.mjs [--runs 15] [--history 5000]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHistory } from './status-start/history.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const runs = option('runs', 15);
const sizes = [10, option('history', 5000)];
const cli = new URL('../dist/src/cli/main.js', import.meta.url).pathname;

const CHANGESET = `id: bench
service: api-orders
version: 9.9.9
commit: abcdef0
source: .
feature_flag: ff-bench
rollback_plan: { kind: previous-version }
dod: [${['tests', 'review', 'docs', 'security', 'qa', 'changelog', 'migration', 'monitoring']
  .map((step) => `{ step: ${step}, done: true }`)
  .join(', ')}]
`;

/** Runs the CLI in `dir`; returns milliseconds from spawn to exit. */
function time(dir, argv, expectCode) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [cli, ...argv], {
    cwd: dir,
    env: { ...process.env, CUTOVER_STATE_DIR: join(dir, '.cutover') },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== expectCode)
    throw new Error(`cutover ${argv.join(' ')}: exit ${run.status}, expected ${expectCode}\n${run.stderr}`);
  return ms;
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const root = mkdtempSync(join(tmpdir(), 'cutover-bench-status-'));
try {
  const dirs = {};
  for (const size of sizes) {
    const dir = mkdtempSync(join(root, `h${size}-`));
    const t0 = Date.now();
    const newest = await writeHistory(dir, size);
    writeFileSync(join(dir, 'changeset.yaml'), CHANGESET);
    // The first command after the history was written: it opens the journal for writing once.
    const first = time(
      dir,
      ['deploy', '-c', 'changeset.yaml', '--env', 'production', '--strategy', 'fast-track'],
      1,
    );
    console.log(
      `history ${size}: written in ${Date.now() - t0} ms; first deploy after it ${first.toFixed(0)} ms`,
    );
    dirs[size] = { dir, newest };
  }
  const commands = {
    status: () => ['status'],
    'status <id>': (d) => ['status', d.newest],
    'deploy (preflight abort)': () => [
      'deploy',
      '-c',
      'changeset.yaml',
      '--env',
      'production',
      '--strategy',
      'fast-track',
    ],
  };
  const expect = { status: 0, 'status <id>': 0, 'deploy (preflight abort)': 1 };
  const times = Object.fromEntries(
    Object.keys(commands).map((c) => [c, Object.fromEntries(sizes.map((s) => [s, []]))]),
  );
  for (let run = 0; run < runs; run++) {
    for (const name of Object.keys(commands)) {
      // Take turns, the first one alternating, so that a burst of load elsewhere hits both.
      const order = run % 2 ? [...sizes].reverse() : sizes;
      for (const size of order)
        times[name][size].push(time(dirs[size].dir, commands[name](dirs[size]), expect[name]));
    }
  }
  console.log(
    `\n${runs} runs each; medians in ms, and the median of the runs' own ratios (each run times both back to back):`,
  );
  console.log(
    `${''.padEnd(26)} ${String(sizes[0]).padStart(6)} ${String(sizes[1]).padStart(6)}   ${sizes[1]}/${sizes[0]}`,
  );
  for (const name of Object.keys(commands)) {
    const [small, large] = sizes.map((s) => median(times[name][s]));
    const ratio = median(times[name][sizes[1]].map((ms, run) => ms / times[name][sizes[0]][run]));
    console.log(
      `${name.padEnd(26)} ${small.toFixed(0).padStart(6)} ${large.toFixed(0).padStart(6)}   ${ratio.toFixed(2)}x`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
