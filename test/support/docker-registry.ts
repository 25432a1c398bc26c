import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import bcrypt from 'bcryptjs';
import { Agent, request } from 'undici';
import { stopChild } from './stop-child.js';
import type { OciDistributionRegistryConfig } from '../../src/core/schema/config.js';

export interface RunningRegistry {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Temp dir holding config, htpasswd and storage; removed by `stop()`. */
  dir: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** htpasswd (basic) auth with one user. */
  auth?: { username: string; password: string };
  /** Docker token auth: the registry trusts JWTs signed by the key of the certificate in `rootCertBundle`. */
  token?: { realm: string; service: string; issuer: string; rootCertBundle: string };
  /** Serve HTTPS with this PEM certificate and key; `url` then starts with https. */
  tls?: { certificate: string; key: string };
  /** the address to listen on (default 127.0.0.1): a test fleet's bridge, for its hosts to pull */
  host?: string;
}

/**
 * Says whether tests needing these binaries should be skipped. In CI a missing binary is not a
 * reason to skip: the test runs and fails loudly, because a real-server test never silently skips.
 */
export function skipUnlessInstalled(...tools: string[]): string | false {
  const missing = tools.filter((tool) => !isInstalled(tool));
  if (missing.length === 0 || process.env.CI === 'true') return false;
  const packages = missing.map((tool) => PACKAGES[tool] ?? tool).join(' ');
  return `not installed: ${missing.join(', ')} (apt-get install -y ${packages}); with CI=true this test fails instead`;
}

/** The Debian packages a tool comes with (podman needs runc here, and uidmap). */
const PACKAGES: Record<string, string> = { podman: 'podman runc uidmap', sshd: 'openssh-server' };

export function isInstalled(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** The adapter's config for `url` as the user `deployer`, the password in `REGISTRY_PASSWORD`. */
export function deployerConfig(url: string, verify: 'digest' | 'full'): OciDistributionRegistryConfig {
  return {
    type: 'oci-distribution',
    url,
    username: 'deployer',
    password_env: 'REGISTRY_PASSWORD',
    insecure: false,
    verify,
  };
}

/** Starts Debian's docker-registry (distribution 2.8.2) on 127.0.0.1 with a random free port. */
export async function startDockerRegistry(options: StartOptions = {}): Promise<RunningRegistry> {
  if (!isInstalled('docker-registry'))
    throw new Error('docker-registry is not installed (apt-get install -y docker-registry)');
  const dir = await mkdtemp(join(tmpdir(), 'cutover-registry-'));
  const port = await findFreePort();
  await writeFile(join(dir, 'config.yml'), await renderConfig(dir, port, options));
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `${options.tls ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${port}`;
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(url, child);
  } catch (err) {
    await stop();
    throw new Error(`docker-registry did not start: ${(err as Error).message}\n${stderr}`);
  }
  return { url, port, dir, stop };
}

async function renderConfig(dir: string, port: number, options: StartOptions): Promise<string> {
  const tls = options.tls ? `, tls: {certificate: ${options.tls.certificate}, key: ${options.tls.key}}` : '';
  const lines = [
    'version: 0.1',
    'log: {level: warn}',
    `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
    `http: {addr: ${options.host ?? '127.0.0.1'}:${port}, secret: ${randomBytes(16).toString('hex')}${tls}}`,
    'health: {storagedriver: {enabled: false}}',
  ];
  if (options.auth) {
    // Cost 5 keeps test start-up fast; the registry accepts any bcrypt cost.
    const hash = bcrypt.hashSync(options.auth.password, 5);
    await writeFile(join(dir, 'htpasswd'), `${options.auth.username}:${hash}\n`);
    lines.push(`auth: {htpasswd: {realm: cutover, path: ${join(dir, 'htpasswd')}}}`);
  }
  if (options.token) {
    const { realm, service, issuer, rootCertBundle } = options.token;
    lines.push(
      `auth: {token: {realm: "${realm}", service: ${service}, issuer: ${issuer}, rootcertbundle: ${rootCertBundle}}}`,
    );
  }
  return lines.join('\n') + '\n';
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  // The harness trusts its own loopback registry, self-signed certificate included.
  const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
      const status = await request(`${url}/v2/`, { dispatcher }).then(
        async (res) => (await res.body.dump(), res.statusCode),
        () => 0,
      );
      if (status === 200 || status === 401) return;
      await sleep(25);
    }
    throw new Error(`no answer from ${url}/v2/ after 5 s`);
  } finally {
    await dispatcher.close();
  }
}
