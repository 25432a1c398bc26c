// cutover serve (issue 17), against peers measured in the same run:
// - journal append → SSE client latency, p50/p99 over every (client, event) pair, with 50 clients
//   connected to `cutover serve` and rows appended by another process's journal connection (what a
//   CLI deploy on the same state does: the server sees them at its next poll of the journal);
//   peer: a bare node:http SSE server polling the same SQLite file with better-sqlite3 at the
//   same interval. Goal: p99 < 50 ms.
// - GET /api/deploys?limit=50 (the dashboard's list), p50/p99, on a state with 10,000 deploys vs
//   one with 10; goal: p99 < 100 ms.
// State dirs on /dev/shm when there is one (the journal's fsyncs are not what is measured).
// The first 20 events and requests of each side warm it up and are not counted.
// Run after `npm run build`:  node bench/serve.mjs [--clients 50] [--events 200] [--deploys 10000]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const CLIENTS = arg('--clients', 50);
const EVENTS = arg('--events', 200);
const DEPLOYS = arg('--deploys', 10_000);
const dist = new URL('../dist/', import.meta.url).pathname;
const load = (path) => import(join(dist, path));
const { openSqliteJournal } = await load('src/adapters/journal/sqlite-journal.js');
const { happyPath } = await load('test/support/events.js');
const { openSse } = await load('test/support/sse-client.js');
const CLI = join(dist, 'src/cli/main.js');
const TOKEN = 'bench-token-0123456789abcdef';
const root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'cutover-bench-serve-'));
const children = [];

const quantiles = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p99: at(0.99) };
};
const ms = (x) => `${x.toFixed(1)} ms`;

/** A project dir with one viewer token and its state dir; `cutover serve` started on it. */
async function serveOn(dir) {
  const hash = createHash('sha256').update(TOKEN).digest('hex');
  writeFileSync(
    join(dir, 'cutover.yaml'),
    `tokens: [{ name: bench, role: viewer, token_sha256: ${hash} }]\n`,
  );
  return startChild([CLI, 'serve', '--listen', '127.0.0.1:0'], dir, /listening on (http:\/\/\S+)/);
}

function startChild(argv, cwd, ready, env = {}) {
  const child = spawn(process.execPath, argv, {
    cwd,
    env: { ...process.env, CUTOVER_STATE_DIR: join(cwd, '.cutover'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const look = (d) => {
      out += d;
      const m = ready.exec(out);
      if (m)
        resolve({ url: m[1], stop: () => new Promise((r) => (child.kill('SIGTERM'), child.on('close', r))) });
    };
    child.stderr.on('data', look);
    child.stdout.on('data', look);
    child.on('close', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

// The peer: every 20 ms, the rows after the last one sent, to every connected client.
const PEER = `
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
const Database = createRequire(process.env.REQUIRE_FROM)('better-sqlite3');
const db = new Database(process.env.JOURNAL, { readonly: true });
const after = db.prepare('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT 500');
let last = db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM events').get().id;
const clients = new Set();
setInterval(() => {
  for (const r of after.all(last)) {
    last = r.id;
    const msg = 'id: ' + r.id + '\\nevent: ' + r.type + '\\ndata: ' + JSON.stringify({ ...r, event: JSON.parse(r.data) }) + '\\n\\n';
    for (const res of clients) res.write(msg);
  }
}, 20);
createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write('event: ready\\ndata: {}\\n\\n');
  clients.add(res);
  req.on('close', () => clients.delete(res));
}).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });
`;

/** Appends EVENTS rows from this process, ~25 ms apart; each client's receipt time per row id. */
async function latencies(url, journal, firstDeploy) {
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, () => openSse(`${url}/api/events`, { authorization: `Bearer ${TOKEN}` })),
  );
  await Promise.all(clients.map((c) => c.next()));
  const committed = new Map();
  const samples = [];
  const receiving = clients.map(async (c) => {
    for (let got = 0; got < EVENTS; got++) {
      const e = await c.next();
      // the first 20 events warm both servers up (JIT, connections) and are not counted
      if (got >= 20) samples.push(performance.now() - committed.get(Number(e.id)));
    }
  });
  const events = happyPath();
  for (let i = 0; i < EVENTS; i++) {
    const deploy = `${firstDeploy}-${Math.floor(i / events.length)}`;
    const row = await journal.append(deploy, i % events.length, new Date(), events[i % events.length]);
    committed.set(row.id, performance.now());
    await new Promise((r) => setTimeout(r, 15 + Math.random() * 20));
  }
  await Promise.all(receiving);
  clients.forEach((c) => c.close());
  return quantiles(samples);
}

/** GET /api/deploys?limit=50, 200 times after 20 warm-up requests. */
async function listTimes(url) {
  const times = [];
  for (let i = 0; i < 220; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/deploys?limit=50`, { headers: { authorization: `Bearer ${TOKEN}` } });
    await res.json();
    if (i >= 20) times.push(performance.now() - t0);
  }
  return quantiles(times);
}

/** A state dir whose journal holds `n` fast-track deploys, written through the journal adapter. */
function stateWith(n) {
  const dir = mkdtempSync(join(root, `list-${n}-`));
  const journal = openSqliteJournal(join(dir, '.cutover', 'journal.db'));
  return { dir, journal, n };
}
async function fill({ journal, n }) {
  const events = happyPath();
  for (let d = 0; d < n; d++)
    for (const [seq, event] of events.entries())
      await journal.append(`d-${String(d).padStart(6, '0')}`, seq, new Date(), event);
  await journal.close();
}

try {
  const sseDir = mkdtempSync(join(root, 'sse-'));
  const server = await serveOn(sseDir);
  const journal = openSqliteJournal(join(sseDir, '.cutover', 'journal.db'));
  const mine = await latencies(server.url, journal, 'c');
  await server.stop();
  const peer = await startChild(['--input-type=module', '-e', PEER], sseDir, /listening on (http:\/\/\S+)/, {
    JOURNAL: join(sseDir, '.cutover', 'journal.db'),
    REQUIRE_FROM: join(dist, '..', 'package.json'),
  });
  const bare = await latencies(peer.url, journal, 'p');
  await peer.stop();
  await journal.close();
  console.log(`append → SSE client, ${CLIENTS} clients, ${EVENTS} events appended by another process:`);
  console.log(`  cutover serve: p50 ${ms(mine.p50)}, p99 ${ms(mine.p99)} (goal p99 < 50 ms)`);
  console.log(
    `  bare SSE poller: p50 ${ms(bare.p50)}, p99 ${ms(bare.p99)} → p99 ${(mine.p99 / bare.p99).toFixed(2)}×`,
  );

  const big = stateWith(DEPLOYS);
  const small = stateWith(10);
  const t0 = performance.now();
  await fill(big);
  await fill(small);
  console.log(
    `GET /api/deploys?limit=50 (wrote ${DEPLOYS} deploys in ${((performance.now() - t0) / 1000).toFixed(1)} s):`,
  );
  const results = [];
  for (const state of [big, small]) {
    const s = await serveOn(state.dir);
    results.push(await listTimes(s.url));
    await s.stop();
  }
  const [many, few] = results;
  console.log(`  ${DEPLOYS} deploys: p50 ${ms(many.p50)}, p99 ${ms(many.p99)} (goal p99 < 100 ms)`);
  console.log(
    `  10 deploys: p50 ${ms(few.p50)}, p99 ${ms(few.p99)} → p99 ${(many.p99 / few.p99).toFixed(2)}×`,
  );
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
}
