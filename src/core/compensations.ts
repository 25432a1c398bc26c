import { allBatches } from './batch-state.js';
import { touchedHosts } from './host-state.js';
import type { DeployState } from './deploy-state.js';
import type { FlagEnvironmentState } from './model/flag.js';
import type { TargetSnapshot } from './model/target.js';

/** An undo action, planned from what the `*_START` events recorded, run newest first by a rollback. */
export type Compensation =
  | {
      action: 'ROLLBACK_FLAG';
      /** trains only: the batch (0-based) whose flag this restores */
      batch?: number;
      flag: string;
      environment: string;
      previous: FlagEnvironmentState;
    }
  | {
      action: 'ROLLBACK_APPLY';
      environment: string;
      previous: TargetSnapshot;
      /** multi-host targets: the hosts the deploy touched, oldest first (restored newest first) */
      hosts?: string[];
    };

/** How a compensation is named in ROLLBACK_START/ROLLBACK_STEP: `ROLLBACK_FLAG#2` is batch 2's flag. */
export function compensationKey(c: Compensation): string {
  return c.action === 'ROLLBACK_FLAG' && c.batch !== undefined ? `${c.action}#${c.batch + 1}` : c.action;
}

/**
 * Compensations for every mutating step that started (even if it failed half-way).
 *
 * Flags are restored batch by batch, newest first, so a flag two batches share ends as it was
 * before the first. Traffic is restored once, to the snapshot taken before the first batch that
 * applied: one routing swap, so users never pass through an intermediate batch's version.
 */
export function planCompensations(state: DeployState): Compensation[] {
  const out: Compensation[] = [];
  const batches = allBatches(state);
  const train = state.batch !== undefined;
  for (const b of [...batches].reverse()) {
    if (b.steps.FLAG === undefined || !b.previousFlag) continue;
    out.push({
      action: 'ROLLBACK_FLAG',
      ...(train ? { batch: b.index } : {}),
      flag: b.flag_name,
      environment: b.environment,
      previous: b.previousFlag,
    });
  }
  const applied = batches.find((b) => b.steps.APPLY !== undefined && b.previousTarget);
  const previous = applied?.previousTarget;
  const hosts = touchedHosts(state);
  if (applied && previous)
    out.push({
      action: 'ROLLBACK_APPLY',
      environment: applied.environment,
      previous,
      ...(hosts.length > 0 ? { hosts } : {}),
    });
  return out;
}
