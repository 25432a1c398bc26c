import type { Analysis } from './model/analysis.js';
import type { DeployState } from './deploy-state.js';
import type { EventOf, StepName } from './events.js';
import type { FlagEnvironmentState } from './model/flag.js';
import type { TargetSnapshot } from './model/target.js';

/**
 * What a train remembers of a batch once the next one starts: enough to report it and to undo it.
 * The batch in progress lives in the deploy state's own fields, exactly like a single deploy.
 */
export interface BatchSummary {
  /** 0-based; shown to people as `index + 1` */
  index: number;
  changeset_id: string;
  tag: string;
  flag_name: string;
  environment: string;
  digest: string | null;
  steps: Partial<Record<StepName, 'started' | 'success' | 'failed'>>;
  previousTarget?: TargetSnapshot;
  previousFlag?: FlagEnvironmentState;
  flag?: FlagEnvironmentState;
  analysis?: Analysis;
}

/** The batch in progress, seen the same way as the finished ones. */
export function currentBatch(s: DeployState): BatchSummary {
  const req = s.request!;
  const steps: BatchSummary['steps'] = {};
  for (const [name, record] of Object.entries(s.steps)) steps[name as StepName] = record.status;
  return {
    index: s.batch?.index ?? 0,
    changeset_id: req.changeset.id,
    tag: req.tag,
    flag_name: req.changeset.feature_flag,
    environment: req.apply_environment,
    digest: s.pushedDigest ?? s.build?.digest ?? null,
    steps,
    ...(s.previousTarget ? { previousTarget: s.previousTarget } : {}),
    ...(s.previousFlag ? { previousFlag: s.previousFlag } : {}),
    ...(s.flag ? { flag: s.flag } : {}),
    ...(s.batchAnalysis ? { analysis: s.batchAnalysis } : {}),
  };
}

/** Every batch of the deploy so far, oldest first (a single deploy is a train of one). */
export function allBatches(s: DeployState): BatchSummary[] {
  return s.request ? [...s.done, currentBatch(s)] : [];
}

/** True while a train has batches left after the current one. */
export function hasNextBatch(s: DeployState): boolean {
  return s.batch !== undefined && s.batch.index < s.batch.count - 1;
}

/** Files the current batch away and makes batch `e.index` the current one, with a clean slate. */
export function startBatch(s: DeployState, e: EventOf<'BATCH_START'>): DeployState {
  const req = s.request!;
  const train = req.train ?? [];
  const batch = { index: e.index, count: train.length };
  if (e.index === (s.batch?.index ?? 0) && Object.keys(s.steps).length === 0) return { ...s, batch };
  const next = train[e.index];
  return {
    ...s,
    batch,
    done: [...s.done, currentBatch(s)],
    request: next ? { ...req, ...next } : req,
    steps: {},
    checks: undefined,
    baseline: undefined,
    baselineRequests: undefined,
    build: undefined,
    pushedDigest: undefined,
    previousTarget: undefined,
    currentTarget: undefined,
    flagBefore: undefined,
    previousFlag: undefined,
    flag: undefined,
    canary: undefined,
    promoteRequested: undefined,
    promoted: undefined,
    observeUntil: undefined,
    batchObserveUntil: undefined,
    batchAnalysis: undefined,
    batchExtensions: undefined,
  };
}
