import { strategySchema, type Mode } from '../../src/core/schema/strategy.js';
import { changesetSchema } from '../../src/core/schema/changeset.js';
import type { DeployEvent, EventOf } from '../../src/core/events.js';
import type { TargetSnapshot } from '../../src/core/model/target.js';

/** A fixed clock for the core: the nth event happens n seconds after the start. */
export function fixedAt(n: number): string {
  return new Date(Date.UTC(2026, 1, 24, 10, 0, n)).toISOString();
}

export const OLD: TargetSnapshot = {
  environment: 'production',
  versions: [
    {
      release: { repository: 'api-orders', tag: '2.3.1-0000001-20260201', digest: 'sha256:old' },
      weight: 100,
      layoutDir: '/l',
    },
  ],
};

export function requested(mode: Mode = 'fast-track'): EventOf<'DEPLOY_REQUESTED'> {
  return {
    type: 'DEPLOY_REQUESTED',
    environment: 'production',
    apply_environment: mode === 'manual' ? 'staging' : 'production',
    strategy: strategySchema.parse({ mode }),
    changeset: changesetSchema.parse({
      id: '142',
      service: 'api-orders',
      version: '2.4.0',
      commit: 'abc1234',
      source: '.',
      feature_flag: 'ff-142-api-orders',
      rollback_plan: { kind: 'previous-version' },
    }),
    base_dir: '/x',
    repository: 'api-orders',
    tag: '2.4.0-abc1234-20260224',
    registry: 'oci-layout:/x',
    requested_by: 'test',
  };
}

const BASELINE = {
  latency_p95_ms: 120,
  error_rate_5xx: 0.3,
  cpu_percent: 45,
  samples: 400,
  window_ms: 60_000,
};

/** The events of a fast-track deploy that went well, up to and including FLAG_ACTIVATED. */
export function happyPath(): DeployEvent[] {
  return [
    requested(),
    { type: 'PREFLIGHT_START' },
    { type: 'PREFLIGHT_PASSED', checks: [], baseline: BASELINE, flag: { state: 'off', percentage: 0 } },
    { type: 'BUILD_START', tag: '2.4.0-abc1234-20260224' },
    { type: 'BUILD_SUCCESS', digest: 'sha256:new', layout_dir: '/b', size: 10 },
    {
      type: 'PUSH_START',
      registry: 'r',
      repository: 'api-orders',
      tag: '2.4.0-abc1234-20260224',
      digest: 'sha256:new',
    },
    { type: 'PUSH_SUCCESS', digest: 'sha256:new', already_present: false },
    {
      type: 'APPLY_START',
      environment: 'production',
      release: { repository: 'api-orders', tag: 't', digest: 'sha256:new' },
      previous: OLD,
    },
    { type: 'APPLY_SUCCESS', environment: 'production', current: OLD },
    {
      type: 'FLAG_START',
      flag: 'ff-142-api-orders',
      environment: 'production',
      previous: { state: 'off', percentage: 0 },
      desired: { state: 'on', percentage: 100 },
    },
    {
      type: 'FLAG_ACTIVATED',
      flag: 'ff-142-api-orders',
      environment: 'production',
      state: 'on',
      percentage: 100,
    },
  ];
}

export function rowsOf(events: DeployEvent[]): Array<{ seq: number; at: string; event: DeployEvent }> {
  return events.map((event, i) => ({ seq: i + 1, at: fixedAt(i), event }));
}
