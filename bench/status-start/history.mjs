// A state dir with `count` past deploys, written through the journal adapter as the CLI opens it
// (SQLite, anchored on close), on tmpfs where an fsync costs nothing, then copied into place: a
// few seconds for 5,000 deploys instead of running 5,000 deploys.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';

const dist = new URL('../../dist/', import.meta.url).pathname;
const { openSqliteJournal } = await import(join(dist, 'src/adapters/journal/sqlite-journal.js'));
const { anchorOnClose } = await import(join(dist, 'src/adapters/journal/anchor-on-close.js'));
const { openJournalAnchor } = await import(join(dist, 'src/adapters/journal/journal-anchor.js'));
const { happyPath, requested } = await import(join(dist, 'test/support/events.js'));

const DAY = 24 * 3600 * 1000;
// Nine fast-track deploys that went live for one that failed its preflight, a day apart.
const succeeded = [...happyPath(), { type: 'DEPLOY_SUCCEEDED' }];
const failed = [
  requested(),
  { type: 'PREFLIGHT_START' },
  {
    type: 'PREFLIGHT_FAILED',
    checks: [{ name: 'dod', ok: false, detail: '8/9 steps done' }],
    baseline: null,
    flag: null,
    code: 'E_DOD_INCOMPLETE',
    reason: 'definition of done incomplete: 8/9',
  },
  {
    type: 'DEPLOY_FAILED',
    failed_step: 'PREFLIGHT',
    rolled_back: false,
    code: 'E_DOD_INCOMPLETE',
    reason: 'definition of done incomplete: 8/9',
  },
];

/** Writes `count` finished deploys into `<dir>/.cutover`; returns the newest deploy's id. */
export async function writeHistory(dir, count) {
  const scratch = mkdtempSync(join(existsShm() ? '/dev/shm' : tmpdir(), 'cutover-bench-history-'));
  const journal = anchorOnClose(openSqliteJournal(join(scratch, 'journal.db')), {
    openAnchor: () => openJournalAnchor(join(scratch, 'journal-anchor.db'), 'write'),
    now: () => new Date(),
    warn: (line) => console.error(line),
  });
  const start = Date.now() - (count + 1) * DAY;
  let newest;
  for (let n = 0; n < count; n++) {
    const at = start + n * DAY;
    newest = uuidv7({ msecs: at });
    const events = n % 10 === 9 ? failed : succeeded;
    for (const [seq, event] of events.entries())
      await journal.append(newest, seq, new Date(at + seq * 1000), event);
  }
  await journal.close();
  const stateDir = join(dir, '.cutover');
  mkdirSync(stateDir, { recursive: true });
  for (const file of ['journal.db', 'journal-anchor.db']) cpSync(join(scratch, file), join(stateDir, file));
  rmSync(scratch, { recursive: true, force: true });
  return newest;
}

function existsShm() {
  try {
    writeFileSync('/dev/shm/.cutover-bench-probe', '');
    rmSync('/dev/shm/.cutover-bench-probe');
    return true;
  } catch {
    return false;
  }
}
