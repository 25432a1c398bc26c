import { lazyRequire } from '../../lib/lazy-require.js';
import { CutoverError } from '../../core/errors.js';

const undici = lazyRequire<typeof import('undici')>('undici');

/** What an instant query found: no series at all, or each series' value (NaN as null: no data). */
export type QueryResult = { series: Array<{ labels: Record<string, string>; value: number | null }> };

interface PrometheusReply {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: unknown };
}

/**
 * One instant query to `GET /api/v1/query`, answered within `timeoutMs` (Prometheus is told the
 * same, so it stops working on it too). Unreachable, too slow, 5xx or garbage:
 * `E_BASELINE_UNAVAILABLE` (ports/metrics.ts); a query Prometheus refuses (400, bad PromQL):
 * `E_INVALID_INPUT` naming the query's key in cutover.yaml.
 */
export async function queryPrometheus(
  url: string,
  query: string,
  key: string,
  timeoutMs: number,
): Promise<QueryResult> {
  const endpoint = new URL('api/v1/query', url.endsWith('/') ? url : `${url}/`);
  endpoint.searchParams.set('query', query);
  endpoint.searchParams.set('timeout', `${timeoutMs}ms`);
  const unavailable = (why: string) =>
    new CutoverError('E_BASELINE_UNAVAILABLE', `Prometheus at ${url} ${why} (query ${key})`, { url });
  let status: number;
  let body: PrometheusReply;
  try {
    const reply = await undici().request(endpoint, {
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = reply.statusCode;
    body = (await reply.body.json().catch(() => ({}))) as PrometheusReply;
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as Error).name;
    throw unavailable(
      code === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT'
        ? `did not answer within ${timeoutMs} ms`
        : `is unreachable (${code})`,
    );
  }
  if (status === 400 || status === 422)
    throw new CutoverError(
      'E_INVALID_INPUT',
      `metrics.queries.${key}: Prometheus at ${url} refused it: ${body.error ?? `HTTP ${status}`}`,
      { url },
    );
  if (status !== 200 || body.status !== 'success' || body.data === undefined)
    throw unavailable(`answered HTTP ${status}${body.error ? `: ${body.error}` : ' without a result'}`);
  const toNumber = (raw: unknown): number | null => {
    const n = Number((raw as [number, string])[1]);
    return Number.isFinite(n) ? n : null;
  };
  if (body.data.resultType === 'scalar')
    return { series: [{ labels: {}, value: toNumber(body.data.result) }] };
  if (body.data.resultType !== 'vector' || !Array.isArray(body.data.result))
    throw unavailable(
      `answered a ${body.data.resultType ?? 'missing'} result where an instant vector was expected`,
    );
  return {
    series: (body.data.result as Array<{ metric: Record<string, string>; value: unknown }>).map((s) => ({
      labels: s.metric,
      value: toNumber(s.value),
    })),
  };
}
