import { sqliteNotifyStores } from '../../support/notify-stores.js';
import { describeNotificationsContract } from './notifications-contract.js';

describeNotificationsContract('sqlite', sqliteNotifyStores);
