import { sqliteNotifyStores } from '../../support/notify-stores.js';
import { describeWebhookDelivery } from './webhook-delivery.js';
import { describeWebhookResume } from './webhook-resume.js';

describeWebhookDelivery(sqliteNotifyStores);
describeWebhookResume(sqliteNotifyStores);
