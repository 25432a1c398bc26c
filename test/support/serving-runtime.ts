import { after, before } from 'node:test';
import { buildTestApp, type TestImage } from './runtime-apps.js';
import { routerUrl, startTestRuntime, type TestRuntime } from './runtime-daemon.js';

export interface ServingRuntime<L extends string> {
  runtime: TestRuntime;
  /** base URL of the `production` router */
  base: string;
  /** the test apps, by the labels they were asked for under */
  apps: Record<L, TestImage>;
}

/**
 * A runtime daemon of its own whose `production` runs the test app (`buildTestApp`) in each of
 * `versions` (label → version), started in that order and healthy (15 s at most), then routed
 * with `weights` (percent, by label; a version left out gets none) for the bucketing `group` if
 * given.
 */
export async function startServingRuntime<L extends string>(
  versions: Record<L, string>,
  weights: Partial<Record<L, number>>,
  group?: string,
): Promise<ServingRuntime<L>> {
  const runtime = await startTestRuntime();
  const apps = {} as Record<L, TestImage>;
  for (const [label, version] of Object.entries<string>(versions))
    apps[label as L] = await buildTestApp(runtime.dir, version);
  await runtime.client.putEnvironment('production', { port: 0 });
  for (const app of Object.values<TestImage>(apps))
    await runtime.client.startVersion('production', { ...app, healthTimeoutMs: 15_000 });
  const digestWeights = Object.fromEntries(
    (Object.entries(weights) as [L, number][]).map(([label, w]) => [apps[label].release.digest, w]),
  );
  await runtime.client.setWeights('production', digestWeights, group);
  return { runtime, base: await routerUrl(runtime.client, 'production'), apps };
}

/**
 * For one describe: `startServingRuntime` before its tests, the runtime disposed after them.
 * Read the fields inside tests: they are set once the `before` hook has run.
 */
export function useServingRuntime<L extends string>(
  versions: Record<L, string>,
  weights: Partial<Record<L, number>>,
): Readonly<ServingRuntime<L>> {
  let served: ServingRuntime<L>;
  before(async () => {
    served = await startServingRuntime(versions, weights);
  });
  after(async () => {
    await served?.runtime.dispose();
  });
  return {
    get runtime() {
      return served.runtime;
    },
    get base() {
      return served.base;
    },
    get apps() {
      return served.apps;
    },
  };
}
