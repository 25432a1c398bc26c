import { readFile } from 'node:fs/promises';
import { Hono, type Context } from 'hono';
import { packageFile } from '../lib/package-root.js';

/** Where `npm run build` puts the dashboard (web/ compiled and copied): dist/web. */
const WEB_DIR = packageFile('dist/web/');

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

/**
 * The page and its own scripts only: the browser may load nothing from elsewhere and send no
 * referrer, so neither a third party nor a log can see what the page does or holds (its token).
 */
const HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

async function sendFile(c: Context, name: string): Promise<Response> {
  const type = TYPES[name.slice(name.lastIndexOf('.') + 1)];
  let body: Buffer;
  try {
    if (!type) throw new Error('not a dashboard file');
    body = await readFile(WEB_DIR + name);
  } catch {
    return c.json({ code: 'E_NOT_FOUND', message: `no dashboard file ${name}` }, 404);
  }
  return c.body(new Uint8Array(body), 200, { 'content-type': type, ...HEADERS });
}

/**
 * The dashboard of `cutover serve` at `/` (README, "The dashboard"): static files that need no
 * token — the page asks for one and sends it to the API itself — and every other path to `api`.
 */
export function withDashboard(api: Pick<Hono, 'fetch'>): Hono {
  const app = new Hono();
  app.get('/', (c) => sendFile(c, 'index.html'));
  // One flat folder: a name is letters, digits, dashes and one extension, never a path.
  app.get('/ui/:name{[a-z0-9-]+\\.(js|css|svg)}', (c) => sendFile(c, c.req.param('name')));
  app.all('*', (c) => api.fetch(c.req.raw, c.env));
  return app;
}
