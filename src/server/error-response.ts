import { ERROR_CODES, isCutoverError, toCutoverError, type ErrorCode } from '../core/errors.js';

/** HTTP statuses of the codes that are not plain bad input (400) or a failure of cutover (500). */
const STATUS: Partial<Record<ErrorCode, number>> = {
  E_UNAUTHORIZED: 401,
  E_FORBIDDEN: 403,
  E_SELF_APPROVAL: 403,
  E_NOT_FOUND: 404,
  E_WRONG_STATE: 409,
  E_LOCK_HELD: 409,
  E_LOCK_LOST: 409,
  E_JOURNAL_CONFLICT: 409,
  E_APPLY_FAILED: 409,
  E_JOURNAL_UNAVAILABLE: 503,
  E_STATE_UNAVAILABLE: 503,
  E_RUNTIME_UNAVAILABLE: 503,
};

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** every problem of an invalid input, one `where: path: message` line each */
  errors?: string[];
}

/**
 * The API's one error shape, `{code, message}`, and its status. An error that is not cutover's
 * own says only that it happened: its text (a library's, a path, a stack) stays in the log.
 */
export function errorResponse(
  err: unknown,
  log: (line: string) => void,
): { status: number; body: ErrorBody } {
  if (!isCutoverError(err)) {
    log(`cutover serve: unexpected error: ${toCutoverError(err).message}`);
    return { status: 500, body: { code: 'E_INTERNAL', message: 'internal error (see the server log)' } };
  }
  const status = STATUS[err.code] ?? (ERROR_CODES[err.code] === 'input' ? 400 : 500);
  const errors = Array.isArray(err.details['errors']) ? err.details['errors'].map(String) : undefined;
  return {
    status,
    body: { code: err.code, message: err.message, ...(errors && errors.length > 1 ? { errors } : {}) },
  };
}
