import { Hono, type Context } from 'hono';
import { CutoverError } from '../core/errors.js';
import type { Identity } from '../service/identity.js';
import type { Service } from '../service/service.js';
import { refuseCrossSite } from './cross-site.js';
import { errorResponse } from './error-response.js';
import { eventRoute } from './event-route.js';
import { openApiDocument } from './openapi.js';

export interface ApiOptions {
  service: Service;
  /** who sends the request's Authorization header; throws E_UNAUTHORIZED */
  identify(authorization: string | undefined): Identity;
  log(line: string): void;
}

type Env = { Variables: { who: Identity } };

/** A JSON body; an empty one is `{}`; one that is not JSON is a 400 naming the body. */
async function bodyOf(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CutoverError('E_INVALID_INPUT', 'body: not valid JSON');
  }
}

/**
 * The HTTP API of `cutover serve` (README, "cutover serve"): each route authenticates the caller,
 * hands the service its identity and input, and answers its document, or `{code, message}` with
 * the status the error's code maps to (error-response.ts).
 */
export function apiRoutes({ service, identify, log }: ApiOptions): Hono<Env> {
  const api = new Hono<Env>();
  api.onError((err, c) => {
    const { status, body } = errorResponse(err, log);
    if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="cutover"');
    return c.json(body, status as 400);
  });
  api.notFound((c) =>
    c.json({ code: 'E_NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` }, 404),
  );
  api.get('/api/openapi.json', (c) => c.json(openApiDocument()));
  api.use('/api/*', async (c, next) => {
    refuseCrossSite(c.req.method, c.req.header());
    c.set('who', identify(c.req.header('authorization')));
    await next();
  });
  const who = (c: Context<Env>) => c.get('who');
  const id = (c: Context<Env>) => c.req.param('id')!;

  // The dashboard shows or disables each action by the caller's role.
  api.get('/api/whoami', (c) => c.json(who(c)));
  api.get('/api/deploys', async (c) => c.json(await service.list(who(c), c.req.query())));
  api.post('/api/deploys', async (c) => c.json(await service.deploy(who(c), await bodyOf(c)), 202));
  api.get('/api/deploys/:id', async (c) => c.json(await service.status(who(c), id(c))));
  api.get('/api/deploys/:id/log', async (c) => c.json({ rows: await service.log(who(c), id(c)) }));
  api.get('/api/deploys/:id/timeline', async (c) => c.json(await service.timeline(who(c), id(c))));
  api.get('/api/deploys/:id/analysis', async (c) => c.json(await service.analysis(who(c), id(c))));
  api.post('/api/deploys/:id/approve', async (c) =>
    c.json(await service.approve(who(c), id(c), await bodyOf(c)), 202),
  );
  api.post('/api/deploys/:id/reject', async (c) =>
    c.json(await service.reject(who(c), id(c), await bodyOf(c))),
  );
  for (const verb of ['promote', 'abort', 'rollback'] as const)
    api.post(`/api/deploys/:id/${verb}`, async (c) =>
      c.json({ deploy_result: await service[verb](who(c), id(c), await bodyOf(c)) }),
    );
  api.post('/api/submit', async (c) =>
    c.json({ queued: await service.submit(who(c), await bodyOf(c)) }, 201),
  );
  api.post('/api/plan', async (c) => c.json(await service.plan(who(c), await bodyOf(c))));
  api.get('/api/traffic', async (c) => c.json(await service.traffic(who(c))));
  api.get('/api/flags', async (c) => c.json(await service.flags(who(c))));
  api.get('/api/flags/:name', async (c) => c.json(await service.flag(who(c), c.req.param('name'))));
  api.put('/api/flags/:name', async (c) =>
    c.json(await service.setFlag(who(c), c.req.param('name'), await bodyOf(c))),
  );
  api.get('/api/lock', async (c) => c.json(await service.locks(who(c), c.req.query('environment'))));
  // A tampered journal is what the check found, not a failed request: 200 with ok false.
  api.get('/api/audit', async (c) => c.json(await service.audit(who(c))));
  api.get('/api/events', (c) => eventRoute(c, service, who(c)));
  return api;
}
