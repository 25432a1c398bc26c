import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectoryBuilder } from '../../src/adapters/builder/directory-image.js';
import { openSqliteFlags } from '../../src/adapters/flags/sqlite-flags.js';
import { openSqliteJournal } from '../../src/adapters/journal/sqlite-journal.js';
import { createOciLayoutRegistry } from '../../src/adapters/registry/oci-layout.js';
import { resolveEnvironment } from '../../src/core/environments.js';
import { CutoverError } from '../../src/core/errors.js';
import { configSchema } from '../../src/core/schema/config.js';
import type { ExecutorContext } from '../../src/executor/context.js';
import type { Flags } from '../../src/ports/flags.js';
import type { Metrics } from '../../src/ports/metrics.js';
import type { Target, TargetSnapshot } from '../../src/ports/target.js';
import { ModelMetrics } from './model-metrics.js';
import { ModelTarget } from './model-target.js';
import { ModelTraffic } from './model-traffic.js';

/** Where an injected fault hits: a port call, for the changeset with this id. */
/** `metrics`: the version answers 5xx; `metrics-down`: the metrics source fails while it is judged. */
export type Fault = 'build' | 'push' | 'start' | 'route' | 'flag' | 'metrics' | 'metrics-down';

export interface ModelWorld {
  dir: string;
  ctx: ExecutorContext;
  target: ModelTarget;
  flags: Flags;
  /** writes a tiny app directory for changeset `id`; returns its path relative to `dir` */
  source(id: string): string;
  dispose(): Promise<void>;
}

/**
 * The executor with real journal, builder, registry and flag store (all local files), and a model
 * of the runtime as the target: the property test runs hundreds of deploys, and a real version
 * process takes a third of a second to start. Faults are injected per changeset.
 */
export function createModelWorld(
  faults: Map<string, Fault>,
  initial: TargetSnapshot,
  options: { secrets?: string[] } = {},
): ModelWorld {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-model-'));
  const config = configSchema.parse({});
  // No busy wait: a journal another connection holds fails at once, and the recorder's retries
  // run on the model clock (its sleep advances it) instead of blocking for real.
  const journal = openSqliteJournal(join(dir, 'journal.db'), { busyTimeoutMs: 0 });
  const flags = openSqliteFlags(join(dir, 'flags.db'));
  const registry = createOciLayoutRegistry({ rootDir: join(dir, 'registry') });
  const builder = createDirectoryBuilder();
  const target = new ModelTarget('production', initial);
  const badDigests = new Set<string>();
  const downDigests = new Set<string>();
  let now = Date.UTC(2026, 10, 27, 10, 0, 0);
  const clock = { now: () => new Date(now) };
  const metrics = new ModelMetrics(clock, async () =>
    (await target.snapshot()).versions.filter((v) => v.weight > 0).map((v) => v.release.digest),
  );
  metrics.unreachable = (digest) => digest !== undefined && downDigests.has(digest);
  // 20 requests a second at 10 ms; a version built with the `metrics` fault fails every other one.
  const traffic = new ModelTraffic(metrics, 20, (digest, nth) => ({
    latencyMs: 10,
    status: badDigests.has(digest) && nth % 2 === 1 ? 500 : 200,
  }));
  // What served before the deploy served the baseline window's traffic.
  traffic.flow(initial, now - 60_000, now);
  const fail = (what: string) => new CutoverError('E_APPLY_FAILED', `injected fault: ${what}`);
  // One-shot, like a transient outage: the rollback that follows must be able to use the port.
  const faultFor = (id: string | undefined, kind: Fault) => {
    if (id === undefined || faults.get(id) !== kind) return false;
    faults.delete(id);
    return true;
  };
  const idOfDigest = new Map<string, string>();

  const ctx: ExecutorContext = {
    stateDir: dir,
    config,
    journal,
    clock,
    builder: {
      name: 'model-builder',
      async build(req) {
        if (faultFor(req.changeset.id, 'build')) throw fail('build');
        const image = await builder.build(req);
        idOfDigest.set(image.manifest.digest, req.changeset.id);
        if (faults.get(req.changeset.id) === 'metrics') badDigests.add(image.manifest.digest);
        if (faults.get(req.changeset.id) === 'metrics-down') downDigests.add(image.manifest.digest);
        return image;
      },
    },
    environment: (name) => resolveEnvironment(config, name),
    registry: () => ({
      ...registry,
      push: (image, repo, tag) =>
        faultFor(idOfDigest.get(image.manifest.digest), 'push')
          ? Promise.reject(fail('push'))
          : registry.push(image, repo, tag),
      pull: async (release) => `/layouts/${release.digest}`,
      describe: (repo) => registry.describe(repo),
      resolve: (repo, tag) => registry.resolve(repo, tag),
    }),
    flags: () => ({
      ...flags,
      get: (f, e) => flags.get(f, e),
      set: (f, e, s) =>
        faultFor(f.replace(/^ff-/, ''), 'flag') ? Promise.reject(fail('flag')) : flags.set(f, e, s),
    }),
    target: (): Target => {
      target.faultOn = (digest, op) => faultFor(idOfDigest.get(digest), op);
      return target;
    },
    metrics: (): Metrics => metrics,
    progress: () => undefined,
    sleep: async (ms) => {
      traffic.flow(await target.snapshot(), now, now + ms);
      now += ms;
    },
    actor: 'property-test',
    secrets: options.secrets ?? [],
  };

  return {
    dir,
    ctx,
    target,
    flags,
    source(id) {
      const src = join(dir, `src-${id}`);
      mkdirSync(src, { recursive: true });
      writeFileSync(join(src, 'server.js'), `// changeset ${id}\n`);
      return `./src-${id}`;
    },
    async dispose() {
      await journal.close();
      await flags.dispose?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
