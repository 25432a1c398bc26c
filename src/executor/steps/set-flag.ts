import type { FlagEnvironmentState } from '../../core/model/flag.js';
import type { ExecutorContext } from '../context.js';
import type { DeployRecorder } from '../recorder.js';
import { runStep } from './run-step.js';

/** Records the flag's previous state (for rollback) before setting the one the mode asks for. */
export async function runSetFlag(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  desired: FlagEnvironmentState,
): Promise<void> {
  const req = rec.state.request;
  const environment = req.apply_environment;
  const flag = req.changeset.feature_flag;
  const flags = ctx.flags(environment);
  const previous = rec.state.previousFlag ??
    (await flags.get(flag, environment)) ?? { state: 'off', percentage: 0 };
  const result = await runStep(
    rec,
    { type: 'FLAG_START', flag, environment, previous, desired },
    (f) => ({ type: 'FLAG_FAILED', ...f }),
    () => flags.set(flag, environment, desired),
    () => ({
      type: 'FLAG_ACTIVATED',
      flag,
      environment,
      state: desired.state,
      percentage: desired.percentage,
    }),
  );
  if (result.ok)
    ctx.progress(`  flag ${flag} ${desired.state.toUpperCase()} ${desired.percentage} % in ${environment}`);
}
