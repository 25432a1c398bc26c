import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature scheme (README, "Webhooks"), Stripe's: the header
 * `X-Cutover-Signature: t=<unix seconds>,v1=<hex>` where hex is HMAC-SHA256, keyed by the
 * secret, of the timestamp, a dot and the raw body. Signing the timestamp with the body lets a
 * receiver refuse a captured request replayed later (it checks `t` is recent), which a signature
 * of the body alone (GitHub's) cannot.
 */
export const SIGNATURE_HEADER = 'x-cutover-signature';

export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  return `t=${unixSeconds},v1=${hmacHex(secret, unixSeconds, body)}`;
}

function hmacHex(secret: string, unixSeconds: number | string, body: string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
}

/**
 * A receiver's check, as the README's snippet does it: the header parses, `t` is within
 * `toleranceSeconds` of `nowSeconds`, and one `v1` matches (compared in constant time).
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = (header ?? '').split(',').map((p) => p.split('=', 2) as [string, string?]);
  const t = parts.find(([k]) => k === 't')?.[1];
  if (!t || !/^\d+$/.test(t) || Math.abs(nowSeconds - Number(t)) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, t, body), 'hex');
  return parts.some(([k, v]) => {
    if (k !== 'v1' || !v || !/^[0-9a-f]{64}$/.test(v)) return false;
    return timingSafeEqual(expected, Buffer.from(v, 'hex'));
  });
}
