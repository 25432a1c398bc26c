import { ModelMetrics } from '../../support/model-metrics.js';
import { describeMetricsContract, type Traffic } from './metrics-contract.js';

const SERVING = `sha256:${'a'.repeat(64)}`;

// The model the property test's world reads its canaries with: it must report what the runtime
// would, or an analysis could pass on numbers no real source gives.
describeMetricsContract('model', async () => {
  let now = Date.UTC(2026, 10, 27, 10, 0, 0);
  const clock = { now: () => new Date(now) };
  const metrics = new ModelMetrics(clock, async () => [SERVING]);
  const unreachable = new ModelMetrics(clock, async () => [SERVING]);
  unreachable.unreachable = () => true;
  return {
    metrics,
    serving: SERVING,
    idle: `sha256:${'b'.repeat(64)}`,
    silent: new ModelMetrics(clock, async () => []),
    unreachable,
    async send({ ok = 0, failing = 0, slow }: Traffic) {
      for (let i = 0; i < ok; i++) metrics.record(SERVING, 5, 200);
      for (let i = 0; i < failing; i++) metrics.record(SERVING, 5, 500);
      for (let i = 0; i < (slow?.count ?? 0); i++) metrics.record(SERVING, 5 + (slow?.ms ?? 0), 200);
    },
    async wait(ms) {
      now += ms;
    },
    cleanup: async () => undefined,
  };
});
