import { describe } from 'node:test';
import { postgresNotifyStores } from '../../support/notify-stores.js';
import { postgresPerFile, skipUnlessPostgres } from '../../support/postgres.js';
import { describeNotificationsContract } from './notifications-contract.js';

const server = postgresPerFile();

// A fresh database per test; a second store is its own pool, as a second executor's.
describe('PostgreSQL notifications', { skip: skipUnlessPostgres() }, () => {
  describeNotificationsContract('postgres', postgresNotifyStores(server));
});
