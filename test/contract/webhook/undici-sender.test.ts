import { undiciWebhookSender } from '../../../src/adapters/notify/undici-webhook-sender.js';
import { describeSenderContract } from './sender-contract.js';

describeSenderContract('undici', () => undiciWebhookSender());
