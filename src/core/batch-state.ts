import type { BatchSummary, DeployState } from './deploy-state.js';
import type { BatchRequest, EventOf, StepName } from './events.js';

/** The batch in progress, seen the same way as the finished ones. */
export function currentBatch(s: DeployState): BatchSummary {
  const req = s.request;
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
    ...(s.watch?.analysis ? { analysis: s.watch.analysis } : {}),
  };
}

/** Every batch of the deploy so far, oldest first (a single deploy is a train of one). */
export function allBatches(s: DeployState): BatchSummary[] {
  return [...s.done, currentBatch(s)];
}

/** The batch after the current one, while a train has one left. */
export function nextBatch(s: DeployState): { index: number; count: number; batch: BatchRequest } | undefined {
  if (!s.batch) return undefined;
  const index = s.batch.index + 1;
  const batch = s.request.train?.[index];
  return batch ? { index, count: s.batch.count, batch } : undefined;
}

/** Files the current batch away and makes batch `e.index` the current one, with a clean slate. */
export function startBatch(s: DeployState, e: EventOf<'BATCH_START'>): DeployState {
  const req = s.request;
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
    preflight: undefined,
    build: undefined,
    pushedDigest: undefined,
    previousTarget: undefined,
    currentTarget: undefined,
    previousFlag: undefined,
    flag: undefined,
    canary: undefined,
    promoteRequested: undefined,
    promoted: undefined,
    watch: undefined,
  };
}
