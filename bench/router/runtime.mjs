// The cutover side of the bench: the two backends are built as images and started as versions
// by a real runtime daemon (the router runs in the daemon and its router processes, as in a deploy). The direct and
// HAProxy runs reach the very same version processes on their loopback ports.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { onCleanup } from './cleanup.mjs';

const dist = new URL('../../dist/', import.meta.url).pathname;
const ENVIRONMENT = 'bench';

/** Compiles backend.c when gcc is there; else the node:http fallback. Returns its kind. */
function writeBackend(source) {
  mkdirSync(source, { recursive: true });
  try {
    const c = new URL('./backend.c', import.meta.url).pathname;
    execFileSync('gcc', ['-O2', '-o', join(source, 'backend'), c], { stdio: 'pipe' });
    return { kind: 'C (epoll)', command: ['./backend'] };
  } catch {
    copyFileSync(new URL('./backend.mjs', import.meta.url).pathname, join(source, 'backend.mjs'));
    return {
      kind: 'node:http (no gcc: the backend may limit the direct run)',
      command: ['node', 'backend.mjs'],
    };
  }
}

async function buildImage(dir, name) {
  const { changesetSchema } = await import(join(dist, 'src/core/schema/changeset.js'));
  const { createDirectoryBuilder } = await import(join(dist, 'src/adapters/builder/directory-image.js'));
  const backend = writeBackend(join(dir, `src-${name}`));
  const changeset = changesetSchema.parse({
    id: name,
    service: 'bench',
    version: name,
    commit: '1234567',
    source: `./src-${name}`,
    feature_flag: 'bench',
    // The env differs per version, so the two images (and digests) differ too.
    run: { command: backend.command, health_path: '/health', env: { BENCH_VERSION: name } },
  });
  const tag = `${name}-1234567-20250101`;
  const image = await createDirectoryBuilder().build({
    changeset,
    baseDir: dir,
    workDir: join(dir, 'images'),
    tag,
  });
  const release = { repository: 'bench', tag, digest: image.manifest.digest };
  return { backend: backend.kind, release, layoutDir: image.layoutDir };
}

/**
 * Starts a daemon in `<dir>/state`, an environment on a free port and the stable then the canary
 * version at 95/5. Returns what the bench needs to drive and observe it.
 */
export async function startCutover(dir) {
  const { ensureDaemon, stopDaemon } = await import(join(dist, 'src/runtime/client/daemon-control.js'));
  const stable = await buildImage(dir, 'stable');
  const canary = await buildImage(dir, 'canary');
  const stateDir = join(dir, 'state');
  onCleanup(() => stopDaemon(stateDir));
  const client = await ensureDaemon(stateDir);
  await client.putEnvironment(ENVIRONMENT, { port: 0 });
  // The canary starts last: the newest version gets the first buckets, as in a deploy.
  for (const image of [stable, canary]) {
    await client.startVersion(ENVIRONMENT, {
      release: image.release,
      layoutDir: image.layoutDir,
      healthTimeoutMs: 15_000,
    });
  }
  const setCanary = (percent) =>
    client.setWeights(ENVIRONMENT, {
      [canary.release.digest]: percent,
      [stable.release.digest]: 100 - percent,
    });
  await setCanary(5);
  const view = await client.getEnvironment(ENVIRONMENT);
  const portOf = (image) => view.versions.find((v) => v.release.digest === image.release.digest).port;
  const status = await client.status();
  return {
    backend: stable.backend,
    // The daemon and the router processes beside it (CUTOVER_ROUTER_PROCESSES): all of them route.
    routerPids: [status.pid, ...status.router_pids],
    routerPort: view.port,
    stablePort: portOf(stable),
    canaryPort: portOf(canary),
    versionPids: view.versions.map((v) => v.pid),
    setCanary,
  };
}
