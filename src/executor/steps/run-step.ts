import { toCutoverError, type CutoverError } from '../../core/errors.js';
import type { DeployEvent } from '../../core/events.js';
import type { DeployRecorder } from '../recorder.js';

type FailedType =
  'BUILD_FAILED' | 'PUSH_FAILED' | 'APPLY_FAILED' | 'FLAG_FAILED' | 'STEP_FAILED' | 'PROMOTE_FAILED';

/**
 * Write-ahead wrapper for one side effect: the START event is durable before `act` runs, and
 * whatever `act` throws becomes the FAILED event (with its stable code) instead of escaping.
 */
export async function runStep<T>(
  rec: DeployRecorder,
  startEvent: DeployEvent,
  failedType: FailedType,
  act: () => Promise<T>,
  success: (value: T) => DeployEvent,
): Promise<{ ok: true; value: T } | { ok: false; error: CutoverError }> {
  await rec.record(startEvent);
  let value: T;
  try {
    value = await act();
  } catch (err) {
    const error = toCutoverError(err);
    const failed = { type: failedType, code: error.code, reason: error.message };
    await rec.record(
      failedType === 'STEP_FAILED'
        ? { ...failed, type: failedType, percent: (startEvent as { percent: number }).percent }
        : (failed as DeployEvent),
    );
    return { ok: false, error };
  }
  await rec.record(success(value));
  return { ok: true, value };
}
