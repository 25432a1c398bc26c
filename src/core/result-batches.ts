import { allBatches } from './batch-state.js';
import type { DeployState } from './deploy-state.js';
import type { DeployResult } from './schema/result.js';

type BatchEntry = NonNullable<DeployResult['batches']>[number];

/**
 * One entry per changeset of a train, in order: what it shipped and how it ended. A failure in
 * batch N marks N failed and, once the rollback succeeded, every earlier batch rolled back.
 */
export function buildBatches(state: DeployState): BatchEntry[] | undefined {
  const { train } = state.request;
  const current = state.batch;
  if (!train || !current) return undefined;
  const seen = allBatches(state);
  const failedAt = state.failure ? current.index : -1;
  const rolledBack = state.rollback?.status === 'success';
  return train.map((b, index) => {
    const s = seen[index];
    let status: BatchEntry['status'] = 'not_started';
    if (s) {
      if (index === failedAt) status = state.failure?.step === 'ROLLBACK' ? 'rolled_back' : 'failed';
      else if (failedAt >= 0 && rolledBack) status = 'rolled_back';
      else if (index < current.index || state.outcome === 'succeeded') status = 'success';
      else status = state.outcome === 'failed' ? 'failed' : 'running';
    }
    return {
      batch: index + 1,
      changeset: b.changeset.id,
      version: b.tag,
      flag: b.changeset.feature_flag,
      status,
      digest: s?.digest ?? null,
      ...(s?.analysis ? { observation: { verdict: s.analysis.verdict, reasons: s.analysis.reasons } } : {}),
    };
  });
}

/** Which deadline ended the deploy, if one did: its own, or the health check's. */
export function buildDeadline(state: DeployState): DeployResult['deadline'] {
  if (state.deadline) return { ...state.deadline };
  if (state.failure?.code === 'E_HEALTH_TIMEOUT')
    return { name: 'health', deadline: state.steps.APPLY?.ended_at ?? '', action: 'rollback' };
  return undefined;
}
