import type { Compensation } from '../compensations.js';
import type { PlanRollbackAction } from '../schema/plan.js';
import type { FailurePoint } from './rehearse-deploy.js';
import { retiredBetween, weightsOf } from './plan-steps.js';

/**
 * The rollback a failure at `point` runs, action by action in the decider's order: every flag
 * set so far back to what it was, newest batch first, then traffic and running versions back to
 * what served before the first APPLY, in one routing swap. The versions the deploy started are
 * stopped; the registry keeps what was pushed.
 */
export function planRollback(point: FailurePoint): PlanRollbackAction[] {
  return point.compensations.map((c: Compensation): PlanRollbackAction => {
    switch (c.action) {
      case 'ROLLBACK_FLAG':
        return {
          action: c.action,
          batch: (c.batch ?? 0) + 1,
          flag: c.flag,
          environment: c.environment,
          to: c.previous,
        };
      case 'ROLLBACK_APPLY':
        return {
          action: c.action,
          environment: c.environment,
          to: weightsOf(c.previous),
          stop: retiredBetween(point.world.target, c.previous),
        };
    }
  });
}
