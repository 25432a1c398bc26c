import type { Changeset } from './schema/changeset.js';
import type { PreflightCheck } from './events.js';

/**
 * Judges the changeset's Definition of Done against the configured 9 steps. Names every step that
 * is missing or not done, and any step the changeset lists that is not one of the 9.
 */
export function checkDod(changeset: Changeset, required: readonly string[]): PreflightCheck {
  const done = new Set(changeset.dod.filter((s) => s.done).map((s) => s.step));
  const listed = new Set(changeset.dod.map((s) => s.step));
  const outstanding = required.filter((step) => !done.has(step));
  const unknown = [...listed].filter((step) => !required.includes(step));
  const count = required.length - outstanding.length;
  if (outstanding.length === 0 && unknown.length === 0) {
    return { name: 'dod', ok: true, detail: `DoD complete (${count}/${required.length})` };
  }
  let detail = `DoD incomplete (${count}/${required.length})`;
  if (outstanding.length > 0) detail += `: ${outstanding.join(', ')}`;
  if (unknown.length > 0)
    detail += `${outstanding.length ? ';' : ':'} unknown steps ${unknown.join(', ')} (expected: ${required.join(', ')})`;
  return { name: 'dod', ok: false, detail };
}

export function checkRollbackPlan(changeset: Changeset): PreflightCheck {
  const plan = changeset.rollback_plan;
  if (!plan)
    return {
      name: 'rollback_plan',
      ok: false,
      detail: 'rollback plan missing (rollback_plan: {kind, notes})',
    };
  if (plan.kind === 'custom' && !plan.steps?.length) {
    return { name: 'rollback_plan', ok: false, detail: 'rollback plan of kind custom lists no steps' };
  }
  return { name: 'rollback_plan', ok: true, detail: `rollback plan: ${plan.kind}` };
}

/** Error code for the first failing check, so the result carries a stable code. */
export function preflightCode(check: PreflightCheck): string {
  switch (check.name) {
    case 'dod':
      return 'E_DOD_INCOMPLETE';
    case 'feature_flag':
      return 'E_FLAG_MISSING';
    case 'rollback_plan':
      return 'E_ROLLBACK_PLAN_MISSING';
    case 'baseline':
      return 'E_BASELINE_UNAVAILABLE';
  }
}
