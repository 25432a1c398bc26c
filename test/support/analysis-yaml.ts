/**
 * A strategy's `analysis` line for the e2e tests, whose observation windows are short (0.3–15 s)
 * and see only a few requests: it lowers `min_requests` and keeps every other gate at its default,
 * the statistical latency test included (docs/analysis in the README says why that one holds on a
 * busy machine where a p95 threshold did not).
 */
export function analysisWithMinRequests(minRequests: number): string {
  return `analysis: { min_requests: ${minRequests} }\n`;
}
