import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { deployArgs, runCli, type CliRun } from './cli.js';
import { freePort } from './ports.js';
import { makeTempDir } from './tmp.js';

/**
 * A throwaway cutover project: its own state dir and a cutover.yaml whose routers listen on free
 * loopback ports, so tests never touch 7080/7081 or each other. `dispose` stops its runtime daemon.
 */
export async function makeProject(extraConfig: Record<string, unknown> = {}) {
  const tmp = makeTempDir('cutover-e2e-');
  const ports = { production: await freePort(), staging: await freePort() };
  const config = {
    environments: {
      production: {
        target: { type: 'local', port: ports.production, health_timeout: '10s', drain_timeout: '5s' },
      },
      staging: { target: { type: 'local', port: ports.staging, health_timeout: '10s', drain_timeout: '5s' } },
    },
    baseline: { window: '10s', min_samples: 5 },
    ...extraConfig,
  };
  writeFileSync(join(tmp.dir, 'cutover.yaml'), stringify(config));
  const stateDir = join(tmp.dir, '.cutover');
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
    runCli(args, { cwd: tmp.dir, env: { CUTOVER_STATE_DIR: stateDir, ...env } });
  return {
    dir: tmp.dir,
    stateDir,
    ports,
    url: (env: 'production' | 'staging' = 'production') => `http://127.0.0.1:${ports[env]}/`,
    cli,
    /** `cutover deploy -c <changeset> --env production --strategy <strategy> …extra` */
    deploy: (changeset: string, strategy: string, ...extra: string[]) =>
      cli(deployArgs(changeset, strategy, ...extra)),
    async dispose() {
      await cli(['runtime', 'stop']);
      tmp.cleanup();
    },
  };
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}
