// Journal appends and environment locks, cutover against bare peers on the same store (issue 14):
// - events/s, one hash-chained append per committed transaction: cutover's PostgreSQL journal
//   vs a bare `pg` loop (BEGIN; head FOR UPDATE; INSERT; UPDATE head; COMMIT) on the same server,
//   and vs the barest one (one autocommit INSERT per event, the chain kept in memory by a lone
//   writer: what no shared journal can do, the ceiling),
//   and cutover's SQLite journal vs the same loop on bare better-sqlite3 (WAL, synchronous FULL,
//   as the state dir's files); goal ≥ 0.8× each. Both sides hash the row the same way.
// - lock acquire+release latency, p50/p99, with 1 and 3 executors (own pools) on one environment.
// The server is the test harness's own (fsync off: it measures cutover, not the disk); the
// SQLite files are in a temp dir. Run after `npm run build`:
//   node bench/journal.mjs [--events 1500] [--locks 200]
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const EVENTS = arg('--events', 1500);
const LOCKS = arg('--locks', 200);
const dist = new URL('../dist/', import.meta.url).pathname;
const load = (path) => import(join(dist, path));
const { startPostgres } = await load('test/support/postgres.js');
const { happyPath } = await load('test/support/events.js');
const { hashRow, GENESIS_HASH } = await load('src/adapters/journal/hash-chain.js');
const { openPostgresJournal } = await load('src/adapters/journal/postgres-journal.js');
const { openSqliteJournal } = await load('src/adapters/journal/sqlite-journal.js');
const { openPostgresLocks } = await load('src/adapters/lock/postgres-locks.js');

const EVENTS_OF_A_DEPLOY = happyPath();
/** the i-th event of the run: deploys of the happy path one after the other */
const nth = (i) => {
  const n = EVENTS_OF_A_DEPLOY.length;
  return { deploy_id: `d-${Math.floor(i / n)}`, seq: i % n, event: EVENTS_OF_A_DEPLOY[i % n] };
};
const rate = async (append) => {
  const t0 = performance.now();
  for (let i = 0; i < EVENTS; i++) await append(nth(i));
  return EVENTS / ((performance.now() - t0) / 1000);
};
const PEER_TABLE = `CREATE TABLE peer_events (id bigint PRIMARY KEY, deploy_id text NOT NULL, seq integer NOT NULL,
  at text NOT NULL, type text NOT NULL, data text NOT NULL, prev_hash text NOT NULL, hash text NOT NULL,
  UNIQUE (deploy_id, seq));
  CREATE TABLE peer_head (one integer PRIMARY KEY, id bigint NOT NULL, hash text NOT NULL)`;

async function pgPeer(url) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  for (const sql of PEER_TABLE.split(';')) await db.query(sql);
  await db.query('INSERT INTO peer_head VALUES (1, 0, $1)', [GENESIS_HASH]);
  const result = await rate(async ({ deploy_id, seq, event }) => {
    await db.query('BEGIN');
    const head = (
      await db.query({ name: 'h', text: 'SELECT id, hash FROM peer_head WHERE one = 1 FOR UPDATE' })
    ).rows[0];
    const at = new Date().toISOString();
    const hash = hashRow(head.hash, { deploy_id, seq, at, event });
    const id = Number(head.id) + 1;
    await db.query({
      name: 'i',
      text: 'INSERT INTO peer_events VALUES ($1,$2,$3,$4,$5,$6,$7,$8)',
      values: [id, deploy_id, seq, at, event.type, JSON.stringify(event), head.hash, hash],
    });
    await db.query({
      name: 'u',
      text: 'UPDATE peer_head SET id = $1, hash = $2 WHERE one = 1',
      values: [id, hash],
    });
    await db.query('COMMIT');
  });
  await db.end();
  return result;
}

/** The barest loop: one INSERT per event, autocommit, the chain kept in memory by its one writer. */
async function pgInsertOnly(url) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  for (const sql of PEER_TABLE.split(';')) await db.query(sql);
  let prev = { id: 0, hash: GENESIS_HASH };
  const result = await rate(async ({ deploy_id, seq, event }) => {
    const at = new Date().toISOString();
    const hash = hashRow(prev.hash, { deploy_id, seq, at, event });
    await db.query({
      name: 'i',
      text: 'INSERT INTO peer_events VALUES ($1,$2,$3,$4,$5,$6,$7,$8)',
      values: [prev.id + 1, deploy_id, seq, at, event.type, JSON.stringify(event), prev.hash, hash],
    });
    prev = { id: prev.id + 1, hash };
  });
  await db.end();
  return result;
}

function sqlitePeer(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(PEER_TABLE.replace(/bigint/g, 'INTEGER'));
  db.prepare('INSERT INTO peer_head VALUES (1, 0, ?)').run(GENESIS_HASH);
  const head = db.prepare('SELECT id, hash FROM peer_head WHERE one = 1');
  const insert = db.prepare('INSERT INTO peer_events VALUES (?,?,?,?,?,?,?,?)');
  const move = db.prepare('UPDATE peer_head SET id = ?, hash = ? WHERE one = 1');
  const append = db.transaction(({ deploy_id, seq, event }) => {
    const h = head.get();
    const at = new Date().toISOString();
    const hash = hashRow(h.hash, { deploy_id, seq, at, event });
    insert.run(h.id + 1, deploy_id, seq, at, event.type, JSON.stringify(event), h.hash, hash);
    move.run(h.id + 1, hash);
  });
  return rate(async (row) => append.immediate(row)).finally(() => db.close());
}

const cutoverRate = async (journal) => {
  try {
    return await rate(({ deploy_id, seq, event }) => journal.append(deploy_id, seq, new Date(), event));
  } finally {
    await journal.close();
  }
};

async function lockLatencies(url, executors) {
  const stores = Array.from({ length: executors }, () =>
    openPostgresLocks({ url, label: 'PostgreSQL (bench)' }),
  );
  const samples = [];
  const owner = (x) => ({
    user: 'bench',
    host: 'bench',
    pid: process.pid,
    command: `bench ${x}`,
    deploy_id: null,
  });
  await Promise.all(
    stores.map(async (locks, x) => {
      for (let i = 0; i < Math.ceil(LOCKS / executors); i++) {
        const t0 = performance.now();
        const held = await locks.acquire('production', owner(x), 'bench', { ttlMs: 30_000, waitMs: 60_000 });
        await held.release();
        samples.push(performance.now() - t0);
      }
    }),
  );
  for (const locks of stores) await locks.close();
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

const server = await startPostgres();
const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-journal-'));
try {
  const url = async () => server.createDatabase();
  // peer first, then cutover, twice; the better of each side's two runs counts
  const pgBare = [],
    pgInsert = [],
    pgCutover = [],
    liteBare = [],
    liteCutover = [];
  for (let round = 0; round < 2; round++) {
    pgBare.push(await pgPeer(await url()));
    pgInsert.push(await pgInsertOnly(await url()));
    pgCutover.push(await cutoverRate(openPostgresJournal({ url: await url(), label: 'PostgreSQL (bench)' })));
    liteBare.push(await sqlitePeer(join(dir, `peer-${round}.db`)));
    liteCutover.push(await cutoverRate(openSqliteJournal(join(dir, `journal-${round}.db`))));
  }
  const max = (xs) => Math.max(...xs);
  const line = (name, mine, peer) =>
    console.log(
      `${name}: cutover ${mine.toFixed(0)} events/s, bare ${peer.toFixed(0)} events/s → ${(mine / peer).toFixed(2)}× (goal ≥ 0.8×)`,
    );
  console.log(`journal, ${EVENTS} appends per run, best of 2 runs each:`);
  line('PostgreSQL vs locked-head loop', max(pgCutover), max(pgBare));
  line('PostgreSQL vs INSERT-only loop', max(pgCutover), max(pgInsert));
  line('SQLite     vs locked-head loop', max(liteCutover), max(liteBare));
  const lockUrl = await url();
  for (const executors of [1, 3]) {
    const { p50, p99 } = await lockLatencies(lockUrl, executors);
    console.log(
      `lock acquire+release on PostgreSQL, ${executors} executor(s): p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
    );
  }
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
