import type { Dispatcher } from 'undici';
import { lazyRequire } from '../../../lib/lazy-require.js';
import { encodeBasic, type Credentials } from './credentials.js';
import {
  createAuthError,
  createHttpError,
  createNetworkError,
  type ErrorContext,
} from './registry-errors.js';

const undici = lazyRequire<typeof import('undici')>('undici');

export interface BearerToken {
  token: string;
  /** epoch ms after which the token is not used any more */
  expiresAt: number;
}

export interface TokenRequest {
  realm: string;
  service?: string;
  scopes: string[];
  credentials: Credentials;
}

/** The token spec's default lifetime when the service does not say. */
const DEFAULT_EXPIRES_IN_S = 60;

/**
 * Asks the registry's token service (Docker token auth) for a bearer token. Each scope is sent as
 * its own `scope=` parameter; credentials, when configured, go as basic auth to the realm.
 */
export async function fetchBearerToken(
  tokenRequest: TokenRequest,
  dispatcher: Dispatcher,
  now: () => number,
  context: ErrorContext,
): Promise<BearerToken> {
  const url = new URL(tokenRequest.realm);
  if (tokenRequest.service) url.searchParams.append('service', tokenRequest.service);
  for (const scope of tokenRequest.scopes) url.searchParams.append('scope', scope);
  const { username, password } = tokenRequest.credentials;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (username && password) headers.authorization = encodeBasic(username, password);
  const startedAt = now();
  let response: Dispatcher.ResponseData;
  try {
    response = await undici().request(url, { method: 'GET', headers, dispatcher });
  } catch (err) {
    throw createNetworkError(err, {
      ...context,
      action: `${context.action}: fetching a token from ${url.origin}`,
    });
  }
  const text = await response.body.text();
  if (response.statusCode === 401 || response.statusCode === 403) throw createAuthError(username, context);
  if (response.statusCode !== 200)
    throw createHttpError(response.statusCode, text, {
      ...context,
      action: `${context.action}: fetching a token`,
    });
  return readToken(text, startedAt, context);
}

function readToken(text: string, startedAt: number, context: ErrorContext): BearerToken {
  let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = {};
  }
  const token =
    typeof body.token === 'string'
      ? body.token
      : typeof body.access_token === 'string'
        ? body.access_token
        : undefined;
  if (!token)
    throw createHttpError(200, 'token service answered without a token', {
      ...context,
      action: `${context.action}: fetching a token`,
    });
  const lifetime =
    typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_EXPIRES_IN_S;
  // Renew a little early so a token never expires between being picked and being checked.
  const margin = Math.min(30, lifetime / 10);
  return { token, expiresAt: startedAt + (lifetime - margin) * 1000 };
}
