import { CutoverError } from '../core/errors.js';

/**
 * Refuses a change asked by another site's page. A browser lets any page send a "simple" POST
 * (no JSON content type, no custom header) to a loopback server, which with `--allow-anonymous`
 * needs no token: a change must come with no `Origin` (curl, scripts, the SDKs) or this
 * server's own, and a body must be JSON, which a page can send elsewhere only after a CORS
 * preflight this server never grants.
 */
export function refuseCrossSite(method: string, headers: Record<string, string>): void {
  if (method === 'GET' || method === 'HEAD') return;
  const origin = headers.origin;
  if (origin !== undefined && !sameHost(origin, headers.host))
    throw new CutoverError('E_FORBIDDEN', `refused: a request from another site (Origin ${origin})`);
  const type = headers['content-type'];
  if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type))
    throw new CutoverError(
      'E_INVALID_INPUT',
      `content-type ${type}: a request body must be application/json`,
    );
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
