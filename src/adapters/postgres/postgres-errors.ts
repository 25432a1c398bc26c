import { CutoverError, isCutoverError, type ErrorCode } from '../../core/errors.js';

/**
 * SQLSTATE classes and codes that say the store cannot be used now: connection exceptions (08),
 * the server shutting down or restarting (57P01–57P03), too many connections (53300), a
 * serialization failure or deadlock (40001, 40P01), a row lock held past the caller's
 * `lock_timeout` (55P03), and a connection refused for its credentials (28) or database (3D000),
 * which an operator fixes outside cutover. Nothing was committed.
 */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300|40001|40P01|55P03|28...|3D000)$/;

/** Socket errors on the way to the server. */
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Whether `err` means "the server could not be reached or dropped us", as opposed to a bug. */
export function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
  // pg's own words when the socket closes, the pool's connect timeout passes, or the server
  // will not speak TLS that the URL's sslmode asks for
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|does not support SSL/.test(
    message,
  );
}

/**
 * `err` as `code` (E_JOURNAL_UNAVAILABLE, E_STATE_UNAVAILABLE) naming the store by its label when
 * the server was unreachable; anything else unchanged. pg's messages name host and port at most,
 * never the URL's password.
 */
export function classifyPostgresError(err: unknown, label: string, code: ErrorCode): unknown {
  // classified already (the schema check before a query): only the code may change
  if (isCutoverError(err))
    return err.code === 'E_STATE_UNAVAILABLE' && code !== err.code
      ? new CutoverError(code, err.message, err.details, err.cause)
      : err;
  if (!isUnavailable(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  const state = (err as { code?: unknown }).code;
  return new CutoverError(
    code,
    `${label} is unavailable: ${message}`,
    typeof state === 'string' ? { store: label, sqlstate: state } : { store: label },
    err,
  );
}
