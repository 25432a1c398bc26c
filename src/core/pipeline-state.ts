import type { DeployState } from './deploy-state.js';
import type { DeployEvent } from './events.js';
import { endStep, startStep } from './step-record.js';

type PipelineEvent = Extract<
  DeployEvent,
  {
    type:
      | 'PREFLIGHT_START'
      | 'PREFLIGHT_PASSED'
      | 'PREFLIGHT_FAILED'
      | 'BUILD_START'
      | 'BUILD_SUCCESS'
      | 'PUSH_START'
      | 'PUSH_SUCCESS'
      | 'APPLY_START'
      | 'APPLY_SUCCESS'
      | 'FLAG_START'
      | 'FLAG_ACTIVATED'
      | 'BUILD_FAILED'
      | 'PUSH_FAILED'
      | 'APPLY_FAILED'
      | 'FLAG_FAILED';
  }
>;

/** Folds the pipeline's own steps, PREFLIGHT to FLAG: each one's start, its outcome and what it found. */
export function evolvePipeline(s: DeployState, event: PipelineEvent, at: string): DeployState {
  switch (event.type) {
    case 'PREFLIGHT_START':
      return startStep(s, 'PREFLIGHT', at);
    case 'PREFLIGHT_PASSED': {
      const { checks, baseline, baseline_requests, flag } = event;
      const requests = baseline_requests ? { baselineRequests: baseline_requests } : {};
      const preflight = { passed: true as const, checks, baseline, ...requests, flagBefore: flag };
      return { ...endStep(s, 'PREFLIGHT', at), preflight };
    }
    case 'PREFLIGHT_FAILED': {
      const flagBefore = event.flag ? { flagBefore: event.flag } : {};
      const preflight = {
        passed: false as const,
        checks: event.checks,
        baseline: event.baseline,
        ...flagBefore,
      };
      return { ...endStep(s, 'PREFLIGHT', at, event), preflight };
    }
    case 'BUILD_START':
      return startStep(s, 'BUILD', at);
    case 'BUILD_SUCCESS':
      return { ...endStep(s, 'BUILD', at), build: { digest: event.digest, layout_dir: event.layout_dir } };
    case 'PUSH_START':
      return startStep(s, 'PUSH', at);
    case 'PUSH_SUCCESS':
      return { ...endStep(s, 'PUSH', at), pushedDigest: event.digest };
    case 'APPLY_START':
      return { ...startStep(s, 'APPLY', at), previousTarget: event.previous };
    case 'APPLY_SUCCESS':
      return { ...endStep(s, 'APPLY', at), currentTarget: event.current };
    case 'FLAG_START':
      return { ...startStep(s, 'FLAG', at), previousFlag: event.previous };
    case 'FLAG_ACTIVATED': {
      const next = { ...endStep(s, 'FLAG', at), flag: { state: event.state, percentage: event.percentage } };
      return s.request.strategy.mode === 'canary'
        ? { ...next, canary: { percent: event.percentage, analyses: [] } }
        : next;
    }
    case 'BUILD_FAILED':
      return endStep(s, 'BUILD', at, event);
    case 'PUSH_FAILED':
      return endStep(s, 'PUSH', at, event);
    case 'APPLY_FAILED':
      return endStep(s, 'APPLY', at, event);
    case 'FLAG_FAILED':
      return endStep(s, 'FLAG', at, event);
  }
}
