import { lazyRequire } from '../../lib/lazy-require.js';
import { CutoverError } from '../../core/errors.js';

const undici = lazyRequire<typeof import('undici')>('undici');

// An Admin API call is one small JSON document; past this the service is as good as down.
const TIMEOUT_MS = 10_000;

export interface UnleashApiOptions {
  /** the service's base URL, as cutover.yaml gives it */
  url: string;
  /** an admin token or a personal access token; sent in one header, never printed */
  token: string;
  /** the variable the token came from, to name in a refusal */
  tokenEnv: string;
}

export interface UnleashReply {
  status: number;
  body: unknown;
}

/** Unleash's error document: `{ name, message, details }`. */
export function unleashMessage(reply: UnleashReply): string {
  const body = reply.body as { message?: unknown } | null;
  return typeof body?.message === 'string' ? body.message : `HTTP ${reply.status}`;
}

/**
 * One Admin API call. A reply the caller must interpret (2xx, 400, 404, 409) is returned; the
 * service being unreachable, refusing the token (401, 403) or failing (5xx, garbage) throws
 * `E_FLAGS_UNAVAILABLE`, one line naming the URL and what was being done with which flag.
 */
export async function callUnleash(
  api: UnleashApiOptions,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  doing: string,
  body?: unknown,
): Promise<UnleashReply> {
  const url = new URL(path.replace(/^\//, ''), api.url.endsWith('/') ? api.url : `${api.url}/`);
  const where = `Unleash at ${api.url}`;
  let status: number;
  let text: string;
  try {
    const reply = await undici().request(url, {
      method,
      headers: {
        authorization: api.token,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
    status = reply.statusCode;
    text = await reply.body.text();
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as Error).message;
    throw new CutoverError('E_FLAGS_UNAVAILABLE', `${where} is unreachable (${code}) ${doing}`, {
      url: api.url,
    });
  }
  if (status === 401 || status === 403) {
    throw new CutoverError(
      'E_FLAGS_UNAVAILABLE',
      `${where} refused the token in $${api.tokenEnv} (HTTP ${status}) ${doing}`,
      { url: api.url },
    );
  }
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (status >= 500 || parsed === undefined) {
    throw new CutoverError(
      'E_FLAGS_UNAVAILABLE',
      `${where} answered HTTP ${status}${parsed === undefined ? ' with a body that is not JSON' : `: ${unleashMessage({ status, body: parsed })}`} ${doing}`,
      { url: api.url },
    );
  }
  return { status, body: parsed };
}

/** Throws `E_FLAGS_UNAVAILABLE` for a reply that is not one of `expected`. */
export function expectStatus(
  api: UnleashApiOptions,
  reply: UnleashReply,
  expected: number[],
  doing: string,
): void {
  if (expected.includes(reply.status)) return;
  throw new CutoverError(
    'E_FLAGS_UNAVAILABLE',
    `Unleash at ${api.url} answered HTTP ${reply.status}: ${unleashMessage(reply)} ${doing}`,
    { url: api.url },
  );
}
