import type { z } from 'zod';
import { CutoverError } from '../../core/errors.js';
import { flattenIssues } from '../../core/schema/issues.js';
import type { AdminHandler, Reply } from './admin-http.js';
import type { FenceBook } from './fence-book.js';
import type { Runtime } from './runtime.js';
import type { RuntimeExposition } from './metrics-exposition.js';
import { answerMetricsRoute } from './metrics-routes.js';
import { publishedFlagsSchema, settingsSchema, startSchema, weightsSchema } from './admin-schemas.js';
import type { MetricsServer } from './metrics-server.js';

const ENV_NAME = /^[a-z0-9][a-z0-9-]*$/;
/**
 * The admin API, one route per line:
 * GET /status · POST /shutdown · PUT|GET /envs/:env · POST /envs/:env/versions ·
 * DELETE /envs/:env/versions/:digest?drainTimeoutMs= · PUT /envs/:env/weights?group_id= ·
 * GET /envs/:env/metrics?digest=&window_ms=&min_samples= · GET /envs/:env/requests?digest=&window_ms= ·
 * PUT /flags/:env (the flag states OFREP serves for the environment, published by the CLI)
 * PUT /metrics · POST /deploys (metrics-routes.ts)
 * A change that carries a lease's `cutover-fence` older than one seen before is refused (409).
 */
export function createAdminRoutes(
  runtime: Runtime,
  shutdown: () => void,
  extras: { fences: FenceBook; metrics?: { server: MetricsServer; exposition: RuntimeExposition } },
): AdminHandler {
  const { fences, metrics } = extras;
  return async (method, url, body, fence) => {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const route = `${method} ${toRoutePattern(parts)}`;
    const env = parts[1] ?? '';
    if ((parts[0] === 'envs' || parts[0] === 'flags') && !ENV_NAME.test(env)) {
      throw new CutoverError(
        'E_INVALID_INPUT',
        `environment name ${JSON.stringify(env)} must be lowercase letters, digits and -`,
        {},
      );
    }
    // a stalled executor's command is refused before it changes anything
    if (method !== 'GET') await fences.admit(fence, parts[0] === 'envs' || parts[0] === 'flags' ? env : '');
    switch (route) {
      case 'PUT /flags/:env':
        return ok(await runtime.flags.publish(env, parse(publishedFlagsSchema, body).flags));
      case 'GET /status':
        return ok(await runtime.status());
      case 'POST /shutdown':
        setImmediate(shutdown);
        return { status: 202, body: { stopping: true } };
      case 'PUT /envs/:env':
        return ok(await runtime.putEnvironment(env, parse(settingsSchema, body)));
      case 'GET /envs/:env':
        return ok(await runtime.getEnvironment(env));
      case 'POST /envs/:env/versions':
        return { status: 201, body: await runtime.startVersion(env, parse(startSchema, body)) };
      case 'DELETE /envs/:env/versions/:digest': {
        const drain = readInteger(url, 'drainTimeoutMs', 30_000);
        return ok({ stopped: await runtime.environment(env).stop(parts[3] ?? '', drain) });
      }
      case 'PUT /envs/:env/weights':
        return ok(
          await runtime.setWeights(
            env,
            parse(weightsSchema, body),
            url.searchParams.get('group_id') || undefined,
          ),
        );
      case 'GET /envs/:env/metrics': {
        const digest = url.searchParams.get('digest') || undefined;
        const windowMs = readInteger(url, 'window_ms', 60_000);
        const minSamples = readInteger(url, 'min_samples', 1);
        return ok(await runtime.environment(env).metrics(digest, windowMs, minSamples));
      }
      case 'GET /envs/:env/requests': {
        const digest = url.searchParams.get('digest') || undefined;
        const windowMs = readInteger(url, 'window_ms', 60_000);
        return ok(await runtime.environment(env).requests(digest, windowMs));
      }
      default: {
        const reply = metrics && (await answerMetricsRoute(route, body, metrics.server, metrics.exposition));
        if (reply) return reply;
        throw new CutoverError('E_NOT_FOUND', `no route ${method} ${url.pathname}`, {});
      }
    }
  };
}

/** `/envs/production/versions/sha256:…` → `/envs/:env/versions/:digest` */
function toRoutePattern(parts: string[]): string {
  if (parts[0] === 'flags' && parts.length === 2) return '/flags/:env';
  if (parts[0] !== 'envs' || parts.length < 2 || parts.length > 4) return `/${parts.join('/')}`;
  const [, , resource, id] = parts;
  return ['/envs/:env', resource, id === undefined ? undefined : ':digest'].filter(Boolean).join('/');
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    const problems = flattenIssues(result.error.issues);
    throw new CutoverError('E_INVALID_INPUT', problems.join('; '), { problems });
  }
  return result.data;
}

function readInteger(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new CutoverError('E_INVALID_INPUT', `${name}: must be a non-negative integer`, { [name]: raw });
  }
  return value;
}
