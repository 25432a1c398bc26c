import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { freePort } from './ports.js';
import { asAdmin, waitUntilReady } from './postgres-admin.js';
import { stopChild } from './stop-child.js';

/** Debian's PostgreSQL 15 (the `postgresql` package); CUTOVER_PG_BIN points elsewhere. */
const BIN = process.env.CUTOVER_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const INSTALL = 'apt-get install postgresql';

export interface RunningPostgres {
  port: number;
  /** Temp dir holding the cluster and its socket; removed by `stop()`. */
  dir: string;
  /**
   * A fresh, empty database owned by `cutover`, a role without superuser rights (as a team's
   * database would give an application), and its URL.
   */
  createDatabase(): Promise<string>;
  /** `postgres://postgres@127.0.0.1:<port>/<database>`: the cluster's superuser */
  adminUrl(database?: string): string;
  /** Stops the server as an outage would (fast shutdown, clients cut off), keeping its data. */
  halt(): Promise<void>;
  /** Starts it again on the same port and data after `halt`; resolves once it answers. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Says whether tests needing PostgreSQL should be skipped. In CI a missing server is not a reason
 * to skip: `startPostgres` then fails saying what to install, because a real-server test never
 * silently skips.
 */
export function skipUnlessPostgres(): string | false {
  if (isInstalled() || process.env.CI === 'true') return false;
  return `not installed: PostgreSQL 15 in ${BIN} (${INSTALL})`;
}

function isInstalled(): boolean {
  return existsSync(join(BIN, 'initdb')) && existsSync(join(BIN, 'postgres'));
}

/**
 * initdb's and postgres's refusal to run as root: as root they run as the `postgres` user the
 * Debian package creates, in a temp dir handed to it.
 */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout);
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Starts an isolated PostgreSQL 15 cluster on 127.0.0.1 and a random port: `initdb` in a temp
 * dir, then `postgres` with its socket in that dir. Durability is off
 * (fsync, synchronous_commit): these tests check what cutover writes, not the disk under it, and
 * share the machine with others. One cluster per test file; a database per test.
 */
export { asAdmin };

export async function startPostgres(): Promise<RunningPostgres> {
  if (!isInstalled()) throw new Error(`PostgreSQL 15 is not installed in ${BIN} (${INSTALL})`);
  const dir = await mkdtemp(join(tmpdir(), 'cutover-pg-'));
  const user = runAs();
  if (user) await chown(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const init = spawnSync(
    join(BIN, 'initdb'),
    [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ],
    { encoding: 'utf8', ...user },
  );
  if (init.status !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.stderr}`);
  }
  const port = await freePort();
  const settings = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'shared_buffers=16MB'];
  const launch = () =>
    spawn(
      join(BIN, 'postgres'),
      ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1'].concat(
        settings.flatMap((s) => ['-c', s]),
      ),
      { stdio: ['ignore', 'ignore', 'pipe'], ...user },
    );
  let child = launch();
  let stderr = '';
  const keepStderr = (c: ChildProcess) =>
    c.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  keepStderr(child);
  // A test process that dies without stop() must not leave the server running.
  const orphaned = () => child.kill('SIGQUIT');
  process.once('exit', orphaned);
  const adminUrl = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, nothing waits for them
  const halt = () => stopChild(child, 'SIGINT', 10_000);
  const stop = async (): Promise<void> => {
    process.off('exit', orphaned);
    await halt();
    await rm(dir, { recursive: true, force: true });
  };
  const resume = async (): Promise<void> => {
    child = launch();
    keepStderr(child);
    await waitUntilReady(adminUrl(), child);
  };
  try {
    await waitUntilReady(adminUrl(), child);
    await asAdmin(adminUrl(), 'CREATE ROLE cutover LOGIN');
  } catch (err) {
    await stop();
    throw new Error(`postgres did not start: ${(err as Error).message}\n${stderr}`);
  }
  let databases = 0;
  return {
    port,
    dir,
    adminUrl,
    halt,
    resume,
    async createDatabase() {
      const name = `cutover_${++databases}`;
      await asAdmin(adminUrl(), `CREATE DATABASE ${name} OWNER cutover`);
      return `postgres://cutover@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}

/**
 * The test file's one cluster: started by the first caller, stopped after the file's tests.
 * Call it at the top level of the file (it registers the `after` hook there).
 */
export function postgresPerFile(): () => Promise<RunningPostgres> {
  let started: Promise<RunningPostgres> | undefined;
  after(async () => {
    const running = await started?.catch(() => undefined);
    await running?.stop();
  });
  return () => (started ??= startPostgres());
}
