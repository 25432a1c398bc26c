import { describe } from 'node:test';
import { postgresNotifyStores } from '../../support/notify-stores.js';
import { postgresPerFile, skipUnlessPostgres } from '../../support/postgres.js';
import { describeWebhookDelivery } from './webhook-delivery.js';
import { describeWebhookResume } from './webhook-resume.js';

const server = postgresPerFile();

describe('webhooks on PostgreSQL', { skip: skipUnlessPostgres() }, () => {
  describeWebhookDelivery(postgresNotifyStores(server));
  describeWebhookResume(postgresNotifyStores(server));
});
