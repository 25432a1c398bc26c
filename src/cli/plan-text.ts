import { formatDuration } from '../core/schema/duration.js';
import type {
  DeployPlan,
  PlanAnalysis,
  PlanBatch,
  PlanRollbackAction,
  PlanStep,
  PlanWeights,
} from '../core/schema/plan.js';

const served = (w: PlanWeights) => (w.length ? w.map((v) => `${v.tag} ${v.weight} %`).join(', ') : 'nothing');
const flagText = (f: { state: string; percentage: number }) => `${f.state.toUpperCase()} ${f.percentage} %`;

/** The analysis in one sentence: what it compares, what fails it, what too few requests do. */
function analysisText(a: PlanAnalysis): string {
  const against = {
    stable: 'vs the stable version in the same window',
    baseline: 'vs the pre-deploy baseline',
    nothing: 'with nothing to compare latency with',
  }[a.compared_with];
  const latency =
    a.method === 'statistical'
      ? `median latency +${a.max_latency_increase_pct} % (and ≥ ${a.min_latency_shift_ms} ms, at ${a.confidence * 100} % confidence)`
      : `p95 +${a.max_latency_p95_increase_pct} %`;
  const fails =
    a.compared_with === 'nothing'
      ? `5xx > ${a.max_error_rate_5xx} %`
      : `5xx > ${a.max_error_rate_5xx} % or ${latency}`;
  return `${a.method} ${against}; fails on ${fails}; under ${a.min_requests} requests: inconclusive → ${a.on_inconclusive}`;
}

function window(s: { window_ms: number; max_window_ms: number }, why?: string): string {
  const notes = [
    ...(why ? [why] : []),
    ...(s.max_window_ms > s.window_ms ? [`up to ${formatDuration(s.max_window_ms)} if inconclusive`] : []),
  ];
  return `${formatDuration(s.window_ms)}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

function stepText(s: PlanStep): string {
  switch (s.step) {
    case 'PREFLIGHT':
      return s.note;
    case 'BUILD':
      return `image tagged ${s.tag}`;
    case 'PUSH':
      return `to ${s.registry}, digest verified`;
    case 'APPLY': {
      const retire = s.retire.length ? `; drain and stop ${s.retire.join(', ')}` : '';
      return `${s.environment}: ${served(s.weights)} (healthy within ${formatDuration(s.health_timeout_ms)})${retire}`;
    }
    case 'FLAG':
      return `${s.flag} ${flagText(s)} in ${s.environment}`;
    case 'ANALYSIS':
      return `at step ${s.percent} % for ${window(s)}: ${analysisText(s.analysis)}`;
    case 'STEP':
      return `${served(s.weights)}; flag ${flagText(s.flag)}`;
    case 'PROMOTE': {
      const retire = s.retire.length ? `; drain and stop ${s.retire.join(', ')}` : '';
      return `${served(s.weights)}; flag ON 100 %${retire}`;
    }
    case 'OBSERVE':
      return `at 100 % for ${window(s, s.why)}: ${analysisText(s.analysis)}`;
    case 'AWAIT':
      return s.awaiting === 'promote'
        ? `cutover promote (or abort) in ${s.environment}; after ${formatDuration(s.after_ms)}: ${s.on_timeout}`
        : `cutover approve (or reject) for ${s.environment}; after ${formatDuration(s.after_ms)}: ${s.on_timeout}`;
  }
}

function undoText(a: PlanRollbackAction): string {
  if (a.action === 'ROLLBACK_FLAG')
    return `ROLLBACK_FLAG  ${a.flag} back to ${flagText(a.to)} in ${a.environment}`;
  const stop = a.stop.length ? `; stop ${a.stop.join(', ')}` : '';
  return `ROLLBACK_APPLY ${a.environment} back to ${served(a.to)}${stop}`;
}

/** `when` is padded so both lists of a batch start in the same column. */
function rollbackLines(when: string, actions: PlanRollbackAction[]): string[] {
  const label = `${when.trimEnd()}:`.padEnd(when.length + 1);
  if (actions.length === 0) return [`    ${label} nothing changed yet, nothing to undo`];
  return actions.map((a, i) => `    ${i === 0 ? label : ''.padEnd(label.length)} ${i + 1}. ${undoText(a)}`);
}

function batchLines(b: PlanBatch, count: number): string[] {
  const now = b.flag.now ? flagText(b.flag.now) : 'missing';
  return [
    `batch ${b.batch}/${count} · changeset ${b.changeset} · ${b.service} ${b.version} · flag ${b.flag.name} (${now} now)`,
    ...b.steps.map((s) => `  ${s.step.padEnd(9)} ${stepText(s)}`),
    `  if batch ${b.batch} fails, the rollback runs`,
    ...rollbackLines('before APPLY', b.rollback.before_apply),
    ...rollbackLines('after FLAG  ', b.rollback.after_flag),
  ];
}

const FROM: Record<DeployPlan['deadlines'][number]['counted_from'], string> = {
  request: 'from the request',
  'version-start': 'for each version to get healthy',
  paused: 'once the canary waits at its step',
  'awaiting-approval': 'once it awaits approval',
};

const ENDS: Record<DeployPlan['ends_with'], string> = {
  success: 'success',
  paused: 'success, the canary left at its step until promote',
  'awaiting-approval': 'success, awaiting approval',
};

/** The plan for people: a compact timeline, one line per step. */
export function formatPlan(plan: DeployPlan): string {
  const first = plan.batches[0]!;
  const what =
    plan.batches.length > 1
      ? `a train of ${plan.batches.length} changesets`
      : `${first.service} ${first.version}`;
  const verdict = plan.would_start
    ? 'the deploy would start'
    : 'preflight would ABORT the deploy: nothing is built, nothing changes';
  const lines = [
    `cutover plan (nothing was changed): ${what} → ${plan.environment} (${plan.mode}); ${verdict}`,
    'preflight',
    ...plan.preflight.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.detail}`),
  ];
  if (plan.before.length) lines.push('before it starts', ...plan.before.map((n) => `  - ${n}`));
  lines.push(`serving ${plan.apply_environment} now: ${served(plan.serving)}`);
  for (const b of plan.batches) lines.push(...batchLines(b, plan.batches.length));
  const deadlines = plan.deadlines.map(
    (d) => `${d.name} ${formatDuration(d.after_ms)} ${FROM[d.counted_from]} (then ${d.on_timeout})`,
  );
  const { min, max } = plan.observation_ms;
  lines.push(
    `ends: ${ENDS[plan.ends_with]}`,
    `deadlines: ${deadlines.join(' · ')}`,
    `observation: ${formatDuration(min)}${max > min ? `, up to ${formatDuration(max)}` : ''}`,
  );
  if (plan.warnings.length) lines.push('warnings', ...plan.warnings.map((w) => `  - ${w}`));
  return `${lines.join('\n')}\n`;
}
