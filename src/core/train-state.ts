import { startBatch } from './batch-state.js';
import type { DeployState } from './deploy-state.js';
import type { DeployEvent } from './events.js';

type TrainEvent = Extract<DeployEvent, { type: 'BATCH_START' | 'BATCH_OBSERVE_START' | 'BATCH_ANALYSIS' }>;

/**
 * Folds a train's own events: the next batch starting, and the watch of a shipped batch (also
 * of a watched fast-track deploy, a train of one): its window, then its verdict.
 */
export function evolveTrain(s: DeployState, event: TrainEvent): DeployState {
  const extensions = s.watch?.extensions ?? 0;
  switch (event.type) {
    case 'BATCH_START':
      return startBatch(s, event);
    case 'BATCH_OBSERVE_START':
      return { ...s, watch: { ...s.watch, until: event.until, extensions } };
    case 'BATCH_ANALYSIS': {
      const { type: _type, index: _index, ...analysis } = event;
      const extended = event.verdict === 'extend' ? 1 : 0;
      const next = { ...s, watch: { analysis, extensions: extensions + extended } };
      if (event.verdict === 'pass' || event.verdict === 'extend') return next;
      const code = event.verdict === 'fail' ? 'E_ANALYSIS_FAILED' : 'E_ANALYSIS_INCONCLUSIVE';
      return { ...next, failure: { step: 'OBSERVE', code, reason: event.reasons.join('; ') } };
    }
  }
}
