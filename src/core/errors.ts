/**
 * The one error model. Every failure cutover reports carries a stable code; the CLI maps the
 * code's kind to an exit code (input → 2, deploy → 1) and prints `message` without a stack.
 */
export const ERROR_CODES = {
  E_INVALID_INPUT: 'input',
  E_USAGE: 'input',
  E_NOT_FOUND: 'input',
  E_WRONG_STATE: 'input',
  E_TAG_INVALID: 'input',
  E_SOURCE_ESCAPE: 'input',
  /** the state dir or one of its files cannot be created or opened: nothing was changed */
  E_STATE_DIR: 'input',
  /**
   * the PostgreSQL state store's schema is newer than this cutover knows, or a reading verb found
   * none (it creates nothing): nothing was changed
   */
  E_STATE_SCHEMA: 'input',
  /** four eyes (`four_eyes: true` on the environment): whoever started a deploy cannot approve it */
  E_SELF_APPROVAL: 'input',
  /** `cutover serve`: no bearer token, or one no `tokens:` entry of cutover.yaml hashes to */
  E_UNAUTHORIZED: 'input',
  /** `cutover serve`: the token's role may not do this (README, "cutover serve") */
  E_FORBIDDEN: 'input',
  E_DOD_INCOMPLETE: 'deploy',
  E_FLAG_MISSING: 'deploy',
  E_ROLLBACK_PLAN_MISSING: 'deploy',
  E_BASELINE_UNAVAILABLE: 'deploy',
  E_BUILD_FAILED: 'deploy',
  E_PUSH_FAILED: 'deploy',
  E_TAG_IMMUTABLE: 'deploy',
  E_DIGEST_MISMATCH: 'deploy',
  E_APPLY_FAILED: 'deploy',
  E_HEALTH_TIMEOUT: 'deploy',
  E_FLAG_FAILED: 'deploy',
  /** the flag service cannot be reached, refuses cutover's token, or answers what it should not */
  E_FLAGS_UNAVAILABLE: 'deploy',
  E_ANALYSIS_FAILED: 'deploy',
  E_ANALYSIS_INCONCLUSIVE: 'deploy',
  E_ABORTED: 'deploy',
  E_RUNTIME_UNAVAILABLE: 'deploy',
  /** a container tool cutover needs (podman) is not installed: one line says what to install */
  E_RUNNER_UNAVAILABLE: 'deploy',
  /** a host of an ssh target cannot be reached, or refused the login */
  E_HOST_UNREACHABLE: 'deploy',
  /** a host's key is not the one known_hosts pins for it (or is revoked there) */
  E_HOST_KEY_REJECTED: 'deploy',
  /** `hosts setup` could not install or start the agent on a host */
  E_HOST_SETUP_FAILED: 'deploy',
  /** the podman runner could not pull the image from the environment's registry */
  E_PULL_FAILED: 'deploy',
  E_LOCK_HELD: 'deploy',
  E_LOCK_LOST: 'deploy',
  /**
   * a write carried the fencing token of a lease that was taken over since (the writer stalled
   * past its lease): refused, never worth retrying with the same token
   */
  E_STALE_FENCING_TOKEN: 'deploy',
  E_JOURNAL_CORRUPT: 'deploy',
  E_JOURNAL_CONFLICT: 'deploy',
  /** the journal cannot be written now (busy, locked, I/O error, read-only); worth retrying */
  E_JOURNAL_UNAVAILABLE: 'deploy',
  /**
   * an append through a journal opened for reading (status, log, audit verify|head): a bug in the
   * verb, never worth retrying, unlike E_JOURNAL_UNAVAILABLE
   */
  E_JOURNAL_READ_ONLY: 'deploy',
  /**
   * the PostgreSQL state store cannot be used now: unreachable, restarting, or refusing the
   * connection (credentials, database, TLS); nothing was written
   */
  E_STATE_UNAVAILABLE: 'deploy',
  E_ROLLBACK_REQUESTED: 'deploy',
  E_INTERRUPTED: 'deploy',
  E_DEADLINE: 'deploy',
  E_INTERNAL: 'deploy',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class CutoverError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'CutoverError';
    this.code = code;
    this.details = details;
  }

  get isInputError(): boolean {
    return ERROR_CODES[this.code] === 'input';
  }
}

export function isCutoverError(err: unknown): err is CutoverError {
  return err instanceof CutoverError;
}

/** Wraps anything thrown into a CutoverError, keeping the original as the cause. */
export function toCutoverError(err: unknown, code: ErrorCode = 'E_INTERNAL'): CutoverError {
  if (isCutoverError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CutoverError(code, message, {}, err);
}

export function assertNever(value: never): never {
  throw new CutoverError('E_INTERNAL', `unexpected value: ${JSON.stringify(value)}`);
}
