import type { DeployResult } from '../core/schema/result.js';
import type { JournalRow } from '../ports/journal.js';

/** One step of a deploy as a dashboard draws it: when it started, how long it took, how it ended. */
export interface TimelineStep {
  step: string;
  status: 'running' | 'success' | 'failed' | 'event';
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  /** journal positions of the rows it was read from */
  rows: number[];
}

const ENDS = [
  ['_SUCCESS', 'success'],
  ['_FAILED', 'failed'],
] as const;

/** Steps whose end is named otherwise: the step it ends and how, from the event. */
function namedEnd(event: JournalRow['event']): [string, TimelineStep['status']] | undefined {
  switch (event.type) {
    case 'PREFLIGHT_PASSED':
      return ['PREFLIGHT', 'success'];
    case 'FLAG_ACTIVATED':
      return ['FLAG', 'success'];
    case 'ANALYSIS_RESULT':
      return ['OBSERVE', event.verdict === 'fail' ? 'failed' : 'success'];
    case 'BATCH_ANALYSIS':
      return ['BATCH_OBSERVE', event.verdict === 'fail' ? 'failed' : 'success'];
    default:
      return undefined;
  }
}

/**
 * The journal's `X_START` … `X_SUCCESS | X_FAILED` pairs as steps with a duration; every other
 * event (FLAG_ACTIVATED, an approval, a takeover) is a point on the line. Read from the rows, so
 * it shows what was journaled, including the steps of a rollback.
 */
export function deployTimeline(rows: readonly JournalRow[]): TimelineStep[] {
  const steps: TimelineStep[] = [];
  const open = new Map<string, TimelineStep>();
  for (const row of rows) {
    const type = row.event.type;
    if (type.endsWith('_START')) {
      const step: TimelineStep = {
        step: type.slice(0, -'_START'.length),
        status: 'running',
        started_at: row.at,
        ended_at: null,
        duration_ms: null,
        rows: [row.id],
      };
      open.set(step.step, step);
      steps.push(step);
      continue;
    }
    const suffix = ENDS.find(([end]) => type.endsWith(end));
    const end = namedEnd(row.event) ?? (suffix && [type.slice(0, -suffix[0].length), suffix[1]]);
    const started = end && open.get(end[0]);
    if (end && started) {
      open.delete(started.step);
      close(started, row, end[1]);
      started.rows.push(row.id);
      if (namedEnd(row.event) === undefined) continue;
    }
    // A deploy that ended closes what it left open (a batch), as it ended.
    if (type === 'DEPLOY_SUCCEEDED' || type === 'DEPLOY_FAILED')
      for (const step of open.values()) close(step, row, type === 'DEPLOY_SUCCEEDED' ? 'success' : 'failed');
    steps.push({
      step: type,
      status: 'event',
      started_at: row.at,
      ended_at: row.at,
      duration_ms: 0,
      rows: [row.id],
    });
  }
  return steps;
}

function close(step: TimelineStep, row: JournalRow, status: TimelineStep['status']): void {
  step.status = status;
  step.ended_at = row.at;
  step.duration_ms = Date.parse(row.at) - Date.parse(step.started_at);
}

/** A deploy's analysis numbers, one entry per observation, in the order they were taken. */
export function deployAnalysis(result: DeployResult): {
  deploy_id: string;
  state: DeployResult['state'];
  observations: NonNullable<DeployResult['analysis']>;
} {
  return { deploy_id: result.deploy_id, state: result.state, observations: result.analysis ?? [] };
}
