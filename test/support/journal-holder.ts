import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';

const SQLITE = pathToFileURL(createRequire(import.meta.url).resolve('better-sqlite3')).href;

// Holds the write lock until SIGTERM, then gives it back without writing anything.
const SCRIPT = `
const { default: Database } = await import(process.env.SQLITE_MODULE);
const db = new Database(process.env.JOURNAL_PATH, { timeout: 10000 });
db.exec('BEGIN EXCLUSIVE');
process.stdout.write('held\\n');
setInterval(() => {}, 1 << 30);
process.on('SIGTERM', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
`;

export interface JournalHolder {
  pid: number;
  /** gives the journal back and resolves once the holder process is gone */
  release(): Promise<void>;
}

/**
 * Another process holding `BEGIN EXCLUSIVE` on a journal (as a backup tool or an operator's
 * `sqlite3` session would): readers go on, every writer gets SQLITE_BUSY until `release()`.
 */
export async function holdJournal(path: string): Promise<JournalHolder> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], {
    env: { ...process.env, SQLITE_MODULE: SQLITE, JOURNAL_PATH: path },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => String(d).includes('held') && resolve());
    void exited.then(([code]) => reject(new Error(`journal holder exited (${code}):\n${stderr}`)));
  });
  return {
    pid: child.pid!,
    async release() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** How many events of `type` the journal at `path` holds (0 before it exists); WAL readers are never blocked. */
export function countEvents(path: string, type: string): number {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch {
    return 0;
  }
  try {
    return db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM events WHERE type = ?').get(type)!
      .n;
  } finally {
    db.close();
  }
}

/** Resolves once the journal at `path` holds more than `seen` events of `type`. */
export async function waitForEvent(
  path: string,
  type: string,
  seen: number,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (countEvents(path, type) <= seen) {
    if (Date.now() > deadline) throw new Error(`no new ${type} in ${path} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
