// The README's canary walkthrough, on the embedded defaults (state in ./.cutover): 2.4.0 serves
// generated traffic from 2,000 users; 2.4.1 goes out as a 5 % canary (and its flag, over OFREP, is
// on for exactly the users routed to it), gets promoted; then 2.5.0, which fails half its requests,
// goes out as a canary and is rolled back by the analysis while the traffic keeps flowing.
import { spawnSync, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';

const CLI = 'dist/src/cli/main.js';
const BASE = 'http://127.0.0.1:7080';

function cutover(args, { quiet = false } = {}) {
  if (!quiet) console.error(`\n$ cutover ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'pipe', quiet ? 'ignore' : 'inherit'],
  });
  return { code: run.status, stdout: run.stdout.toString() };
}
const runAsync = (args) =>
  new Promise((resolve) => {
    console.error(`\n$ cutover ${args.join(' ')}`);
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, stdout: out }));
  });

/** Loops of keep-alive requests, each from a random one of 2,000 users; tallies answers per version. */
function traffic(loops = 6) {
  const agent = new Agent({ keepAlive: true, maxSockets: loops });
  const tally = { ok: 0, failed: 0, byVersion: {}, usersByVersion: {} };
  let running = true;
  const one = (user) =>
    new Promise((resolve) => {
      const req = request(`${BASE}/orders`, { agent, headers: { 'x-user-id': user } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          const version = JSON.parse(body).version ?? '?';
          if (res.statusCode < 500) tally.ok++;
          else tally.failed++;
          tally.byVersion[version] = (tally.byVersion[version] ?? 0) + 1;
          (tally.usersByVersion[version] ??= new Set()).add(user);
          resolve();
        });
      });
      req.on('error', () => {
        tally.failed++;
        resolve();
      });
      req.end();
    });
  const loop = async () => {
    while (running) await one(`user-${Math.floor(Math.random() * 2000)}`);
  };
  const done = Promise.all(Array.from({ length: loops }, loop));
  return {
    tally,
    reset: () => Object.assign(tally, { ok: 0, failed: 0, byVersion: {}, usersByVersion: {} }),
    stop: async () => ((running = false), await done, agent.destroy()),
  };
}

async function ofrep(flag, user) {
  const res = await fetch(`${BASE}/ofrep/v1/evaluate/flags/${flag}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ context: { targetingKey: user } }),
  });
  return (await res.json()).value;
}

function summary(label, t) {
  const users = Object.fromEntries(Object.entries(t.usersByVersion).map(([v, s]) => [v, s.size]));
  console.error(
    `  ${label}: ${t.ok} ok, ${t.failed} 5xx/failed; requests by version ${JSON.stringify(t.byVersion)}; distinct users ${JSON.stringify(users)}`,
  );
}

for (const flag of ['ff-142-api-orders', 'ff-143-api-orders-pagination', 'ff-144-api-orders-bulk'])
  if (cutover(['flags', 'get', flag], { quiet: true }).code !== 0) cutover(['flags', 'create', flag]);
let r = cutover([
  'deploy',
  '-c',
  'examples/orders-api/changeset.yaml',
  '--env',
  'production',
  '--strategy',
  'fast-track',
  '--output',
  'json',
]);
if (r.code !== 0) process.exit(1);

const load = traffic();
await new Promise((res) => setTimeout(res, 3000));
summary('2.4.0 alone, 3 s', load.tally);
load.reset();
r = await runAsync([
  'deploy',
  '-c',
  'examples/orders-api/changeset-2.4.1.yaml',
  '--env',
  'production',
  '--strategy',
  'examples/orders-api/canary.yaml',
  '--output',
  'json',
]);
const good = JSON.parse(r.stdout).deploy_result;
summary('during the 2.4.1 canary', load.tally);
const canaryUsers = [...(load.tally.usersByVersion['2.4.1'] ?? [])];
const stableUsers = [...(load.tally.usersByVersion['2.4.0'] ?? [])].filter((u) => !canaryUsers.includes(u));
const flagOn = await Promise.all(canaryUsers.map((u) => ofrep('ff-143-api-orders-pagination', u)));
const flagOff = await Promise.all(
  stableUsers.slice(0, 300).map((u) => ofrep('ff-143-api-orders-pagination', u)),
);
console.error(
  `  result: ${good.status}, canary ${JSON.stringify(good.canary)}, baseline ${JSON.stringify(good.baseline_snapshot)}`,
);
console.error(
  `  OFREP: flag on for ${flagOn.filter(Boolean).length}/${canaryUsers.length} users routed to 2.4.1, off for ${flagOff.filter((v) => !v).length}/${flagOff.length} users on 2.4.0`,
);
await runAsync(['promote', good.deploy_id, '--output', 'json']);

load.reset();
r = await runAsync([
  'deploy',
  '-c',
  'examples/orders-api/changeset-bad.yaml',
  '--env',
  'production',
  '--strategy',
  'examples/orders-api/canary.yaml',
  '--output',
  'json',
]);
const bad = JSON.parse(r.stdout).deploy_result;
summary('during the 2.5.0 canary', load.tally);
console.error(
  `  result: ${bad.status} at ${bad.failed_step}: ${bad.reason}; rollback ${bad.rollback?.status} (${bad.rollback?.actions.join(', ')})`,
);
load.reset();
await new Promise((res) => setTimeout(res, 3000));
summary('after the rollback, 3 s', load.tally);
await load.stop();
console.error('\nStill serving 2.4.1. `node dist/src/cli/main.js runtime stop` stops everything.');
