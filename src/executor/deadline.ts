import { dueDeadline } from '../core/deadlines.js';
import type { ExecutorContext } from './context.js';
import type { DeployRecorder } from './recorder.js';

/**
 * Fires the deploy's deadline when it has passed: the journaled DEADLINE_FIRED turns into a
 * failure, and the loop rolls the deploy back like any other. Checked before every command, so
 * a resumed deploy that is already too late is undone instead of finished.
 */
export async function checkDeployDeadline(ctx: ExecutorContext, rec: DeployRecorder): Promise<void> {
  const due = dueDeadline(rec.state, ctx.clock.now());
  if (due?.name !== 'deploy') return;
  ctx.progress(`  deadline: the deploy had to finish by ${due.deadline}; ${due.action}`);
  await rec.record({ type: 'DEADLINE_FIRED', ...due });
}
