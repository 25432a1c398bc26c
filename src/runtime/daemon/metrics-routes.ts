import { z } from 'zod';
import { CutoverError } from '../../core/errors.js';
import { flattenIssues } from '../../core/schema/issues.js';
import type { Reply } from './admin-http.js';
import type { RuntimeExposition } from './metrics-exposition.js';
import type { MetricsServer } from './metrics-server.js';

const listenSchema = z.strictObject({ listen: z.string().min(3).nullable() });
const deploySchema = z.strictObject({
  environment: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  result: z.enum(['success', 'failed', 'rolled_back']),
  restore_seconds: z.number().nonnegative().optional(),
});

/**
 * The admin routes of `/metrics`: `PUT /metrics {listen}` (cutover.yaml's runtime.metrics_listen,
 * null for off) and `POST /deploys {environment, result, restore_seconds}`, which the CLI sends
 * when a deploy ends (the daemon outlives every CLI, so it is where such counters can live).
 * Undefined for any other route.
 */
export async function answerMetricsRoute(
  route: string,
  body: unknown,
  server: MetricsServer,
  exposition: RuntimeExposition,
): Promise<Reply | undefined> {
  switch (route) {
    case 'PUT /metrics': {
      await server.listen(parse(listenSchema, body).listen);
      return { status: 200, body: { listen: server.listening } };
    }
    case 'POST /deploys': {
      const deploy = parse(deploySchema, body);
      exposition.recordDeploy(deploy.environment, deploy.result, deploy.restore_seconds);
      return { status: 202, body: { recorded: true } };
    }
    default:
      return undefined;
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success)
    throw new CutoverError('E_INVALID_INPUT', flattenIssues(result.error.issues).join('; '), {});
  return result.data;
}
