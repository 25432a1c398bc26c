import { DEFAULT_DOD_STEPS } from '../../../src/core/schema/config.js';
import { changesetSchema } from '../../../src/core/schema/changeset.js';
import { strategySchema } from '../../../src/core/schema/strategy.js';
import type { EventOf, PreflightCheck } from '../../../src/core/events.js';
import type { PlanInput } from '../../../src/core/plan/plan-deploy.js';
import type { DeployPlan, PlanStep } from '../../../src/core/schema/plan.js';
import type { TargetSnapshot } from '../../../src/core/model/target.js';

/** What serves production before every planned deploy here: 2.3.0, alone. */
export const SERVING: TargetSnapshot = {
  environment: 'production',
  versions: [
    {
      release: { repository: 'shop', tag: '2.3.0-aaaaaaa-20260101', digest: 'sha256:old' },
      weight: 100,
      layoutDir: '/r',
    },
  ],
};
export const OLD = '2.3.0-aaaaaaa-20260101';

export const tagOf = (version: string) => `${version}-1234567-20260301`;

function changeset(version: string, flag: string) {
  return changesetSchema.parse({
    id: `cs-${version}`,
    service: 'shop',
    version,
    commit: '1234567abc',
    source: './app',
    dod: DEFAULT_DOD_STEPS.map((step) => ({ step, done: true })),
    feature_flag: flag,
    rollback_plan: { kind: 'previous-version' },
  });
}

/** A request as buildDeployRequest makes it: one changeset per version, flag `ff-<version>` unless given. */
export function request(
  strategy: Record<string, unknown>,
  versions: string[] = ['2.4.0'],
  flags: string[] = versions.map((v) => `ff-${v}`),
): EventOf<'DEPLOY_REQUESTED'> {
  const batches = versions.map((v, i) => ({
    changeset: changeset(v, flags[i]!),
    base_dir: '/src',
    repository: 'shop',
    tag: tagOf(v),
  }));
  const parsed = strategySchema.parse(strategy);
  const first = batches[0]!;
  return {
    type: 'DEPLOY_REQUESTED',
    environment: 'production',
    apply_environment: parsed.mode === 'manual' ? 'staging' : 'production',
    strategy: parsed,
    ...first,
    registry: 'oci-layout:/state/registry/shop',
    requested_by: 'tester',
    ...(batches.length > 1 ? { train: batches } : {}),
  };
}

const PASSED: PreflightCheck[] = [
  { name: 'dod', ok: true, detail: 'DoD complete (9/9)' },
  { name: 'feature_flag', ok: true, detail: 'flag exists (off 0 %)' },
  { name: 'rollback_plan', ok: true, detail: 'rollback plan: previous-version' },
  { name: 'baseline', ok: true, detail: 'baseline captured' },
];

/** Every flag off, 2.3.0 serving, 200 requests of baseline, preflight passed. */
export function inputOf(req: EventOf<'DEPLOY_REQUESTED'>, over: Partial<PlanInput> = {}): PlanInput {
  const names = (req.train ?? [req]).map((b) => b.changeset.feature_flag);
  return {
    request: req,
    checks: PASSED,
    baseline: { latency_p95_ms: 3, error_rate_5xx: 0, cpu_percent: 10, samples: 200, window_ms: 60_000 },
    serving: req.apply_environment === 'staging' ? { environment: 'staging', versions: [] } : SERVING,
    flags: Object.fromEntries(names.map((n) => [n, { state: 'off', percentage: 0 }])),
    healthTimeoutMs: 30_000,
    ...over,
  };
}

export const kinds = (plan: DeployPlan, batch = 0) => plan.batches[batch]!.steps.map((s) => s.step);

export function stepsOf<K extends PlanStep['step']>(plan: DeployPlan, kind: K, batch = 0) {
  return plan.batches[batch]!.steps.filter((s): s is Extract<PlanStep, { step: K }> => s.step === kind);
}
