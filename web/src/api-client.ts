/**
 * The dashboard's calls to the API. The token lives in sessionStorage only (gone when the tab
 * closes) and travels only in the Authorization header, never in a URL, where logs would keep it.
 */
const TOKEN_KEY = 'cutover.token';

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** An answer of the API that is not 2xx: its `{code, message}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => {};

/** What the page does when the token stops being accepted (a 401): back to the token screen. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** The headers every call carries; throws a 401 ApiError when no token was entered. */
export function authHeaders(): Record<string, string> {
  const token = tokenStore.get();
  if (token === null) throw new ApiError(401, 'E_UNAUTHORIZED', 'enter a token');
  return { authorization: `Bearer ${token}` };
}

/** A JSON call to the API; a 401 also calls the unauthorized handler. */
export async function callApi<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
  const headers = authHeaders();
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    cache: 'no-store',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: { code?: string; message?: string } = {};
  try {
    json = text === '' ? {} : (JSON.parse(text) as typeof json);
  } catch {
    json = { message: text };
  }
  if (res.status === 401) onUnauthorized();
  if (!res.ok)
    throw new ApiError(res.status, json.code ?? `HTTP ${res.status}`, json.message ?? res.statusText);
  return json as T;
}
