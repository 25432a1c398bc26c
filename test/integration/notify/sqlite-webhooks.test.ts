import { sqliteNotifyStores } from '../../support/notify-stores.js';
import { describeWebhookDelivery } from './webhook-delivery.js';

describeWebhookDelivery(sqliteNotifyStores);
