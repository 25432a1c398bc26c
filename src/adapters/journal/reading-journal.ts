import type Database from 'better-sqlite3';
import type { Journal } from '../../ports/journal.js';
import { openInPlace } from '../state-dir/read-in-place.js';
import { readDatabaseSnapshot } from '../state-dir/read-snapshot.js';
import { indexDeploys, isIndexed, JOURNAL_SCHEMA } from './journal-schema.js';

/**
 * The journal as the reading verbs open it (status, log, plan, audit), writing nothing anywhere:
 * - the chain's checks (`verify`, `head`, `hashAt`) read every row anyway: they read one snapshot
 *   (readDatabaseSnapshot), so an audit sees one commit from its first check to its last;
 * - the reads by deploy (`deploys`, `openDeploys`, `findDeploy`, `rows`) go to the file in place
 *   (openInPlace), so status and log cost what they show, not the history's size. A writer that
 *   checkpoints into the file meanwhile sends that read, and every later one, to the snapshot.
 * A journal from before the deploy index, or with changes in its log, is read from the snapshot.
 *
 * @param on the journal's queries on an opened database
 */
export function openReadingJournal(path: string, on: (db: Database.Database) => Journal): Journal {
  let snapshot: Journal | undefined;
  const fromSnapshot = (): Journal => {
    if (snapshot) return snapshot;
    const db = readDatabaseSnapshot(path, JOURNAL_SCHEMA);
    indexDeploys(db);
    return (snapshot = on(db));
  };
  const place = openInPlace(path, isIndexed);
  let inPlace = place && on(place.db);
  // Without it, open now: a file that cannot be read fails here, as the writing journal does.
  if (!inPlace) fromSnapshot();

  const byDeploy = async <T>(read: (journal: Journal) => Promise<T>): Promise<T> => {
    if (place && inPlace) {
      try {
        const result = await read(inPlace);
        if (place.unchanged()) return result;
      } catch (err) {
        if (place.unchanged()) throw err;
      }
      await inPlace.close();
      inPlace = undefined;
    }
    return read(fromSnapshot());
  };
  return {
    name: 'sqlite',
    append: (...args) => byDeploy((j) => j.append(...args)),
    rows: (deployId) => byDeploy((j) => j.rows(deployId)),
    rowsAfter: (afterId, limit) => byDeploy((j) => j.rowsAfter(afterId, limit)),
    deploys: (environment) => byDeploy((j) => j.deploys(environment)),
    deployPage: (page) => byDeploy((j) => j.deployPage(page)),
    openDeploys: () => byDeploy((j) => j.openDeploys()),
    findDeploy: (idOrPrefix) => byDeploy((j) => j.findDeploy(idOrPrefix)),
    settle: async () => undefined,
    verify: (after) => fromSnapshot().verify(after),
    head: () => fromSnapshot().head(),
    hashAt: (id) => fromSnapshot().hashAt(id),
    async close() {
      await inPlace?.close();
      await snapshot?.close();
    },
  };
}
