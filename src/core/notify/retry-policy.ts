/**
 * How a webhook delivery is retried (README, "Webhooks"): at most 5 attempts, 1 s after the
 * first, then 2 s, 4 s and 8 s; each attempt waits at most 10 s for the receiver's status.
 * A network error, a timeout, 408, 429 and any 5xx are worth another attempt: the receiver may
 * be restarting or shedding load. Any other status is the receiver's answer and is final (a 3xx
 * included: a delivery never follows a redirect, whose target nobody configured).
 */
export const WEBHOOK_POLICY = { attempts: 5, firstBackoffMs: 1_000, timeoutMs: 10_000 } as const;

export type WebhookPolicy = { attempts: number; firstBackoffMs: number; timeoutMs: number };

/** What came back from one POST: a status, or why none did. */
export type WebhookResponse = { status: number } | { error: string };

export type AttemptVerdict =
  | { outcome: 'delivered' }
  | { outcome: 'failed'; error: string }
  | { outcome: 'retry'; error: string; afterMs: number };

/** The verdict on attempt number `attempt` (from 1) that got `response`. */
export function judgeAttempt(
  response: WebhookResponse,
  attempt: number,
  policy: WebhookPolicy = WEBHOOK_POLICY,
): AttemptVerdict {
  if ('status' in response && response.status >= 200 && response.status < 300)
    return { outcome: 'delivered' };
  const error = 'status' in response ? `HTTP ${response.status}` : response.error;
  if (!worthRetrying(response) || attempt >= policy.attempts) return { outcome: 'failed', error };
  return { outcome: 'retry', error, afterMs: policy.firstBackoffMs * 2 ** (attempt - 1) };
}

function worthRetrying(response: WebhookResponse): boolean {
  if (!('status' in response)) return true;
  const { status } = response;
  return status === 408 || status === 429 || status >= 500;
}
