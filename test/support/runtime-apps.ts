import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createChangesetBuilder } from '../../src/adapters/builder/changeset-builder.js';
import { createDirectoryBuilder } from '../../src/adapters/builder/directory-image.js';
import { createOciLayoutRegistry } from '../../src/adapters/registry/oci-layout.js';
import { changesetSchema } from '../../src/core/schema/changeset.js';
import type { ReleaseRef } from '../../src/core/model/release.js';

/**
 * A dependency-free app: `/` answers `{version, pid}`, `/slow?ms=` answers after a delay,
 * `/fail` answers 500, `/env?name=X` answers `{version, X: <its variable X or null>}`.
 * APP_MODE=never-healthy keeps the health path at 503; APP_MODE=exit dies at start after printing why.
 */
const SERVER = `const http = require('node:http');
const version = process.env.APP_VERSION;
const mode = process.env.APP_MODE || 'ok';
const healthPath = process.env.APP_HEALTH_PATH || '/health';
if (mode === 'exit') {
  console.error('boom: DATABASE_URL is not set');
  process.exit(3);
}
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://app');
  const json = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === healthPath) return mode === 'never-healthy' ? json(503, { warming: true }) : json(200, { ok: true });
  if (url.pathname === '/fail') return json(500, { version, failed: true });
  if (url.pathname === '/env') { const name = url.searchParams.get('name'); return json(200, { version, [name]: process.env[name] ?? null }); }
  if (url.pathname === '/slow') return setTimeout(() => json(200, { version, slow: true }), Number(url.searchParams.get('ms') || 500));
  json(200, { version, pid: process.pid });
});
server.listen(Number(process.env.PORT), process.env.HOST);
console.log('listening on ' + process.env.PORT);
process.on('SIGTERM', () => process.exit(0));
`;

export interface TestImage {
  release: ReleaseRef;
  layoutDir: string;
}

export interface AppOptions {
  mode?: 'ok' | 'never-healthy' | 'exit';
  healthPath?: string;
}

/** Writes the app into `<dir>/src-<version>` and builds it into the OCI layout `<dir>/images`. */
export async function buildTestApp(
  dir: string,
  version: string,
  options: AppOptions = {},
): Promise<TestImage> {
  const changeset = writeTestApp(dir, version, options);
  const tag = `${version}-1234567-20250101`;
  const image = await createDirectoryBuilder().build({
    changeset,
    baseDir: dir,
    workDir: join(dir, 'images'),
    tag,
  });
  return { release: { repository: 'shop', tag, digest: image.manifest.digest }, layoutDir: image.layoutDir };
}

/**
 * The same app as a runnable image on the test Node base (`build.base`, as cutover builds it),
 * pushed to the oci-layout registry `registryRoot` whose `nodebase` repository holds the base:
 * the layout returned is that registry's `shop` repository, holding every layer.
 */
export async function buildRunnableTestApp(
  dir: string,
  registryRoot: string,
  version: string,
  options: AppOptions = {},
): Promise<TestImage> {
  const changeset = {
    ...writeTestApp(dir, version, options),
    build: { base: 'nodebase:20', workdir: '/app' },
  };
  const registry = createOciLayoutRegistry({ rootDir: registryRoot });
  const tag = `${version}-1234567-20250101`;
  const builder = createChangesetBuilder({
    registries: {
      environment: () => ({ registry, config: { type: 'oci-layout', path: registryRoot } }),
      other: () => registry,
    },
  });
  const image = await builder.build({
    changeset,
    baseDir: dir,
    workDir: join(dir, 'images'),
    tag,
    environment: 'production',
  });
  await registry.push(image, 'shop', tag);
  return {
    release: { repository: 'shop', tag, digest: image.manifest.digest },
    layoutDir: join(registryRoot, 'shop'),
  };
}

function writeTestApp(dir: string, version: string, options: AppOptions) {
  const source = join(dir, `src-${version}`);
  mkdirSync(source, { recursive: true });
  writeFileSync(join(source, 'server.js'), SERVER);
  const healthPath = options.healthPath ?? '/health';
  return changesetSchema.parse({
    id: version,
    service: 'shop',
    version,
    commit: '1234567890abcdef',
    source: `./src-${version}`,
    feature_flag: 'ff-shop',
    run: {
      command: ['node', 'server.js'],
      health_path: healthPath,
      env: { APP_VERSION: version, APP_MODE: options.mode ?? 'ok', APP_HEALTH_PATH: healthPath },
    },
  });
}
