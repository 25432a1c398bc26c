import { toCutoverError, type CutoverError } from '../../core/errors.js';
import type { DeployEvent, Failure } from '../../core/events.js';
import type { DeployRecorder } from '../recorder.js';

/**
 * Write-ahead wrapper for one side effect: the START event is durable before `act` runs, and
 * whatever `act` throws becomes the FAILED event (with its stable code) instead of escaping.
 */
export async function runStep<T>(
  rec: DeployRecorder,
  startEvent: DeployEvent,
  failed: (failure: Failure) => DeployEvent,
  act: () => Promise<T>,
  success: (value: T) => DeployEvent,
): Promise<{ ok: true; value: T } | { ok: false; error: CutoverError }> {
  await rec.record(startEvent);
  let value: T;
  try {
    value = await act();
  } catch (err) {
    const error = toCutoverError(err);
    await rec.record(failed({ code: error.code, reason: error.message }));
    return { ok: false, error };
  }
  await rec.record(success(value));
  return { ok: true, value };
}
