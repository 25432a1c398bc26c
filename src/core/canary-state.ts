import type { DeployState } from './deploy-state.js';
import type { DeployEvent } from './events.js';
import { endStep, startStep } from './step-record.js';

type CanaryEvent = Extract<
  DeployEvent,
  {
    type:
      | 'OBSERVE_START'
      | 'ANALYSIS_RESULT'
      | 'STEP_START'
      | 'STEP_SUCCESS'
      | 'STEP_FAILED'
      | 'PROMOTE_REQUESTED'
      | 'PROMOTE_START'
      | 'PROMOTE_SUCCESS'
      | 'PROMOTE_FAILED'
      | 'ABORT_REQUESTED'
      | 'APPROVAL_RECORDED';
  }
>;

/** Folds the canary, promotion, abort and approval events (the part of a deploy after FLAG). */
export function evolveCanary(s: DeployState, e: CanaryEvent, at: string): DeployState {
  const canary = s.canary ?? { percent: 0, analyses: [] };
  switch (e.type) {
    case 'OBSERVE_START':
      return { ...s, canary: { ...canary, observeUntil: e.until } };
    case 'ANALYSIS_RESULT': {
      const { type: _type, ...analysis } = e;
      const next = {
        ...s,
        canary: { percent: canary.percent, analyses: [...canary.analyses, analysis] },
      };
      if (e.verdict === 'pass' || e.verdict === 'extend') return next;
      return {
        ...next,
        failure: {
          step: 'ANALYSIS',
          code: e.verdict === 'fail' ? 'E_ANALYSIS_FAILED' : 'E_ANALYSIS_INCONCLUSIVE',
          reason: e.reasons.join('; '),
        },
      };
    }
    case 'STEP_START':
      return startStep(s, 'STEP', at);
    case 'STEP_SUCCESS':
      return {
        ...endStep(s, 'STEP', at),
        canary: { ...canary, percent: e.percent },
        flag: { state: 'on', percentage: e.percent },
        ...(e.current ? { currentTarget: e.current } : {}),
      };
    case 'STEP_FAILED':
      return endStep(s, 'STEP', at, e);
    case 'PROMOTE_REQUESTED':
      return { ...s, promoteRequested: e.by };
    case 'PROMOTE_START':
      return startStep(s, 'PROMOTE', at);
    case 'PROMOTE_SUCCESS':
      return {
        ...endStep(s, 'PROMOTE', at),
        promoted: true,
        currentTarget: e.current,
        canary: { ...canary, percent: 100 },
        flag: { state: 'on', percentage: 100 },
      };
    case 'PROMOTE_FAILED':
      return endStep(s, 'PROMOTE', at, e);
    case 'ABORT_REQUESTED':
      return {
        ...s,
        failure: { step: 'ABORT', code: 'E_ABORTED', reason: `aborted by ${e.by}: ${e.reason}` },
      };
    case 'APPROVAL_RECORDED':
      return {
        ...s,
        approval: { state: e.decision, by: e.by, at, follow_up_deploy_id: e.follow_up_deploy_id },
      };
  }
}
