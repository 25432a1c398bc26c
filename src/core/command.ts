import type { Compensation } from './compensations.js';
import type { BatchRequest, StepName } from './events.js';
import type { FlagEnvironmentState } from './model/flag.js';
import type { MetricsSnapshot, RequestSample } from './model/metrics.js';
import type { ReleaseRef } from './model/release.js';
import type { TargetSnapshot } from './model/target.js';

/** What the canary and train steps act on, once the pipeline shipped it. */
export interface Shipped {
  release: ReleaseRef;
  /** what served before APPLY: a canary step splits traffic between it and the release */
  previous: TargetSnapshot;
  /** PREFLIGHT's baseline, and its requests when the metrics source had them */
  baseline: { snapshot: MetricsSnapshot; requests: RequestSample | null };
}

/** One thing to do, with what the decider knows it needs: the steps read no optional state. */
export type Command =
  | { kind: 'preflight' }
  | { kind: 'build' }
  | { kind: 'push'; built: { digest: string; layout_dir: string } }
  | { kind: 'apply'; release: ReleaseRef }
  | { kind: 'set-flag'; desired: FlagEnvironmentState }
  | { kind: 'observe'; percent: number; observeMs: number; shipped: Shipped }
  | { kind: 'canary-step'; percent: number; shipped: Shipped }
  | { kind: 'promote'; release: ReleaseRef }
  | { kind: 'batch-observe'; index: number; observeMs: number; shipped: Shipped }
  | { kind: 'next-batch'; index: number; count: number; batch: BatchRequest }
  | { kind: 'start-rollback'; reason: string; compensations: Compensation[] }
  | { kind: 'compensate'; compensation: Compensation }
  | { kind: 'end-rollback'; failed: string[] }
  | { kind: 'succeed' }
  | { kind: 'fail'; step: StepName; code: string; reason: string; rolledBack: boolean }
  | { kind: 'done' };
