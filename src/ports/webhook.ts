import type { WebhookResponse } from '../core/notify/retry-policy.js';

export type { WebhookResponse } from '../core/notify/retry-policy.js';

/** One signed POST of a delivery. */
export interface WebhookRequest {
  url: string;
  /** the exact bytes sent and signed (JSON) */
  body: string;
  /** X-Cutover-Delivery */
  deliveryId: string;
  /** X-Cutover-Event */
  event: string;
  /** the HMAC-SHA256 key; used for the signature header only, never sent nor kept */
  secret: string;
  /** milliseconds to wait for the receiver's status before giving up on this attempt */
  timeoutMs: number;
}

/**
 * Sends webhook deliveries.
 *
 * Contract:
 * - `send` POSTs `body` once to `url` with `Content-Type: application/json`, `X-Cutover-Delivery`,
 *   `X-Cutover-Event` and `X-Cutover-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 *   "<t>.<body>" keyed by secret>`, signed at the time of sending.
 * - It never throws: the receiver's status, or why there was none (`timed out after N ms`, a
 *   network error's code). It never follows a redirect nor retries: the caller decides.
 * - It resolves within about `timeoutMs` even when the receiver holds the request open.
 */
export interface WebhookSender {
  readonly name: string;
  send(request: WebhookRequest): Promise<WebhookResponse>;
  dispose?(): Promise<void>;
}
