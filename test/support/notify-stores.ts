import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresNotifications } from '../../src/adapters/notify/postgres-notifications.js';
import { openSqliteJournalFeed } from '../../src/adapters/notify/sqlite-journal-feed.js';
import { openSqliteNotifications } from '../../src/adapters/notify/sqlite-notifications.js';
import { openPostgresJournal } from '../../src/adapters/journal/postgres-journal.js';
import { openSqliteJournal } from '../../src/adapters/journal/sqlite-journal.js';
import type { Journal } from '../../src/ports/journal.js';
import type { JournalFeed, NotificationStore } from '../../src/ports/notifications.js';
import type { RunningPostgres } from './postgres.js';

/** A journal to append to, and the notification store and feed beside it, as a notifier opens them. */
export interface NotifyStores {
  journal: Journal;
  store: NotificationStore;
  feed: JournalFeed;
  /** another store on the same state, as a second process opens it; closed by `cleanup` */
  another(): NotificationStore;
  cleanup(): Promise<void>;
}

export type NotifyStoresFactory = () => Promise<NotifyStores>;

/** The state dir's SQLite files: journal.db and notifications.db in a temp dir. */
export const sqliteNotifyStores: NotifyStoresFactory = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-notify-'));
  const path = join(dir, 'notifications.db');
  const journal = openSqliteJournal(join(dir, 'journal.db'));
  const others: NotificationStore[] = [];
  const store = openSqliteNotifications(path);
  const feed = openSqliteJournalFeed(join(dir, 'journal.db'));
  return {
    journal,
    store,
    feed,
    another() {
      const other = openSqliteNotifications(path);
      others.push(other);
      return other;
    },
    async cleanup() {
      for (const s of [store, ...others]) await s.close();
      await feed.close();
      await journal.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

/** A fresh database of `server` per call. */
export function postgresNotifyStores(server: () => Promise<RunningPostgres>): NotifyStoresFactory {
  return async () => {
    const connection = { url: await (await server()).createDatabase(), label: 'PostgreSQL (test)' };
    const journal = openPostgresJournal(connection, { access: 'write' });
    const both = openPostgresNotifications(connection);
    const others: NotificationStore[] = [];
    return {
      journal,
      store: both,
      feed: both,
      another() {
        const other = openPostgresNotifications(connection);
        others.push(other);
        return other;
      },
      async cleanup() {
        for (const s of [both, ...others]) await s.close();
        await journal.close();
      },
    };
  };
}
