import { CutoverError, type ErrorCode } from '../../../core/errors.js';

/** One entry of the Distribution API's error body `{"errors":[{code,message,detail}]}`. */
export interface RegistryErrorEntry {
  code: string;
  message: string;
  detail?: unknown;
}

/** What the caller was doing, so every error can say where and why. */
export interface ErrorContext {
  /** e.g. `uploading blob sha256:0123456789ab` */
  action: string;
  /** Registry base URL, never with credentials. */
  registry: string;
  repository?: string;
  /** Code for failures that are not integrity failures. */
  code?: ErrorCode;
}

/** Network error codes worth another attempt: the connection broke, the request may not have landed. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function parseRegistryErrors(body: string): RegistryErrorEntry[] {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors
      .filter(
        (e): e is RegistryErrorEntry =>
          typeof e === 'object' && e !== null && typeof (e as RegistryErrorEntry).code === 'string',
      )
      .map((e) => ({ code: e.code, message: String(e.message ?? ''), detail: e.detail }));
  } catch {
    return [];
  }
}

/** Turns an unsuccessful HTTP answer into a CutoverError that names the registry and its code. */
export function createHttpError(
  status: number,
  body: string,
  context: ErrorContext,
  cause?: unknown,
): CutoverError {
  const entries = parseRegistryErrors(body);
  const integrity = entries.some((e) => e.code === 'DIGEST_INVALID');
  const reason =
    entries.length > 0
      ? entries.map((e) => `registry ${e.code}: ${e.message || 'no message'}`).join('; ')
      : `registry answered HTTP ${status}${describeBareBody(body)}`;
  return new CutoverError(
    integrity ? 'E_DIGEST_MISMATCH' : (context.code ?? 'E_PUSH_FAILED'),
    `${reason} (${context.action} at ${where(context)})`,
    {
      ...baseDetails(context),
      status,
      registryErrors: entries.map((e) => ({ code: e.code, message: e.message })),
    },
    cause,
  );
}

export function createAuthError(username: string | undefined, context: ErrorContext): CutoverError {
  const who = username ? ` as ${username}` : ' (no credentials configured)';
  return new CutoverError(
    context.code ?? 'E_PUSH_FAILED',
    `authentication failed for ${context.registry}${who} (${context.action})`,
    {
      ...baseDetails(context),
      status: 401,
    },
  );
}

/** Maps a thrown network error; the original stays as the cause for `--verbose`. */
export function createNetworkError(err: unknown, context: ErrorContext): CutoverError {
  const code = networkErrorCode(err);
  const reason =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ENOTFOUND'
        ? 'host not found'
        : describeNetworkError(err);
  return new CutoverError(
    context.code ?? 'E_PUSH_FAILED',
    `registry ${context.registry} unreachable: ${reason} (${context.action})`,
    { ...baseDetails(context), networkError: code ?? 'unknown' },
    err,
  );
}

/** The registry holds another byte count than was sent: its own account wins, after retries. */
export function createRangeError(
  context: ErrorContext,
  acknowledged: number,
  expected: number,
): CutoverError {
  return new CutoverError(
    context.code ?? 'E_PUSH_FAILED',
    `registry acknowledged ${acknowledged} bytes where ${expected} were sent (${context.action} at ${where(context)})`,
    { ...baseDetails(context), acknowledged, expected },
  );
}

export function isTransientNetworkError(err: unknown): boolean {
  const code = networkErrorCode(err);
  return code !== undefined && TRANSIENT_NETWORK_CODES.has(code);
}

export function networkErrorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('E_')) return code;
  }
  return undefined;
}

function describeNetworkError(err: unknown): string {
  const code = networkErrorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

function describeBareBody(body: string): string {
  const text = body.trim().replace(/\s+/g, ' ');
  return text ? `: ${text.slice(0, 200)}` : '';
}

function where(context: ErrorContext): string {
  return context.repository ? `${context.registry}/${context.repository}` : context.registry;
}

function baseDetails(context: ErrorContext): Record<string, unknown> {
  return context.repository
    ? { registry: context.registry, repository: context.repository }
    : { registry: context.registry };
}
