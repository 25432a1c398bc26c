import { isInRollout } from '../../core/bucketing.js';
import type { EnvironmentFlag } from './flag-reader.js';

/** OFREP evaluation results (service/openapi.yaml of open-feature/protocol). */
export interface EvaluationSuccess {
  key: string;
  value: boolean;
  variant: 'on' | 'off';
  reason: 'STATIC' | 'SPLIT' | 'DISABLED';
}

export type EvaluationErrorCode =
  'PARSE_ERROR' | 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT' | 'FLAG_NOT_FOUND' | 'GENERAL';

export interface EvaluationFailure {
  key: string;
  errorCode: EvaluationErrorCode;
  errorDetails: string;
}

export type Evaluation = EvaluationSuccess | EvaluationFailure;

/**
 * Evaluates a cutover flag as an OFREP boolean. A partial rollout buckets `targetingKey` with the
 * flag name as group id, the group id the router splits a canary by, so the users a 5 % canary
 * serves are exactly those who see its 5 % flag on.
 *
 * @param targetingKey null when the request's context has none
 * @example evaluateFlag('ff-142', { name: 'ff-142', state: 'on', percentage: 5 }, 'user-7')
 */
export function evaluateFlag(
  key: string,
  flag: EnvironmentFlag | undefined,
  targetingKey: string | null,
): Evaluation {
  if (flag === undefined) {
    return { key, errorCode: 'FLAG_NOT_FOUND', errorDetails: `flag "${key}" does not exist` };
  }
  if (flag.state === 'off') return { key, value: false, variant: 'off', reason: 'DISABLED' };
  // 0 % and 100 % are the same for everyone: no key needed, nothing random about the answer.
  if (flag.percentage >= 100) return { key, value: true, variant: 'on', reason: 'STATIC' };
  if (flag.percentage <= 0) return { key, value: false, variant: 'off', reason: 'STATIC' };
  if (targetingKey === null) {
    return {
      key,
      errorCode: 'TARGETING_KEY_MISSING',
      errorDetails: `flag "${key}" is on for ${flag.percentage} % of users: the context needs a targetingKey`,
    };
  }
  const on = isInRollout(key, targetingKey, flag.percentage);
  return { key, value: on, variant: on ? 'on' : 'off', reason: 'SPLIT' };
}

/** The HTTP status OFREP answers an evaluation with. */
export function statusOf(evaluation: Evaluation): 200 | 400 | 404 | 500 {
  if (!('errorCode' in evaluation)) return 200;
  if (evaluation.errorCode === 'FLAG_NOT_FOUND') return 404;
  return evaluation.errorCode === 'GENERAL' ? 500 : 400;
}
