import type Database from 'better-sqlite3';

/** The chain: see docs/architecture.md#journal. */
export const JOURNAL_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  deploy_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (deploy_id, seq)
);
CREATE TABLE IF NOT EXISTS chain_head (one INTEGER PRIMARY KEY CHECK (one = 1), id INTEGER NOT NULL, hash TEXT NOT NULL);
`;

/** `PRAGMA user_version` of a journal that has the deploy index; 0 before it had one. */
const INDEXED = 1;

/**
 * One row per deploy, kept by a trigger in the transaction of each append, so it can never lag
 * the chain, whoever inserts. It is not part of the chain: `audit verify` recomputes only events.
 * `settled_seq` is the seq at which the executor found the deploy settled (see Journal.settle);
 * a later row makes it open again, which the partial index finds without reading the rest.
 */
const DEPLOY_INDEX = `
CREATE TABLE IF NOT EXISTS deploys (
  deploy_id TEXT PRIMARY KEY,
  first_id INTEGER NOT NULL,
  environment TEXT,
  first_at TEXT NOT NULL,
  last_at TEXT NOT NULL,
  last_seq INTEGER NOT NULL,
  last_type TEXT NOT NULL,
  events INTEGER NOT NULL,
  settled_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS deploys_in_order ON deploys (first_id);
CREATE INDEX IF NOT EXISTS deploys_open ON deploys (first_id) WHERE settled_seq < last_seq;
CREATE TRIGGER IF NOT EXISTS deploys_follow_events AFTER INSERT ON events BEGIN
  INSERT INTO deploys (deploy_id, first_id, environment, first_at, last_at, last_seq, last_type, events)
  VALUES (NEW.deploy_id, NEW.id, json_extract(NEW.data, '$.environment'), NEW.at, NEW.at, NEW.seq, NEW.type, 1)
  ON CONFLICT (deploy_id) DO UPDATE SET
    first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at),
    last_seq = excluded.last_seq, last_type = excluded.last_type, events = events + 1;
END;
DELETE FROM deploys;
INSERT INTO deploys (deploy_id, first_id, environment, first_at, last_at, last_seq, last_type, events)
  SELECT e.deploy_id, MIN(e.id), json_extract(r.data, '$.environment'), MIN(e.at), MAX(e.at), MAX(e.seq),
    (SELECT type FROM events l WHERE l.deploy_id = e.deploy_id ORDER BY seq DESC LIMIT 1), COUNT(*)
  FROM events e JOIN events r ON r.deploy_id = e.deploy_id AND r.seq = 1
  GROUP BY e.deploy_id;
PRAGMA user_version = ${INDEXED};
`;

/**
 * Gives a journal the deploy index, built from the rows it holds, once: a journal written by a
 * cutover from before the index is migrated on first open. One transaction, so a process killed
 * meanwhile leaves the file as it was and the next open builds it again.
 */
export function indexDeploys(db: Database.Database): void {
  if (isIndexed(db)) return;
  db.transaction(() => {
    if (!isIndexed(db)) db.exec(DEPLOY_INDEX);
  }).immediate();
}

/**
 * Whether the journal has its tables and the deploy index. Dropping `events` drops its trigger
 * too: the index is then rebuilt with the table.
 */
export function isIndexed(db: Database.Database): boolean {
  if ((db.pragma('user_version', { simple: true }) as number) < INDEXED) return false;
  const names = ['events', 'chain_head', 'deploys', 'deploys_follow_events'];
  const found = db
    .prepare<string[], { n: number }>(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN (?, ?, ?, ?)`)
    .get(...names);
  return found?.n === names.length;
}
