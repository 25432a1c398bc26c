import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { freePort } from './ports.js';
import { startPostgres, type RunningPostgres } from './postgres.js';
import { stopChild } from './stop-child.js';
import { waitUntil } from './wait-until.js';

const INSTALL = 'npm install (unleash-server@8.2.0 is a devDependency)';

export interface RunningUnleash {
  url: string;
  /** an admin token (`*:*.…`): what cutover.yaml's `token_env` names */
  adminToken: string;
  /** a backend (SDK) token for `production` in project `default`, what a service would hold */
  backendToken: string;
  stop(): Promise<void>;
}

function serverMain(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    // the package exports only dist/lib/server-impl.js; its server entry point sits beside lib/
    return join(dirname(require.resolve('unleash-server')), '..', 'server.js');
  } catch {
    return undefined;
  }
}

/** Without CI, tests skip when unleash-server or PostgreSQL is missing; with CI=true they fail. */
export function skipUnlessUnleash(): string | false {
  const main = serverMain();
  if ((main && existsSync(main)) || process.env.CI === 'true') return false;
  return `not installed: unleash-server (${INSTALL})`;
}

/**
 * unleash-server 8.2.0 (RECIPES "Unleash") on 127.0.0.1 and a random port, on a PostgreSQL
 * cluster of its own (test/support/postgres.ts). Resolves once its health endpoint answers.
 */
export async function startUnleash(): Promise<RunningUnleash> {
  const main = serverMain();
  if (!main || !existsSync(main)) throw new Error(`unleash-server is not installed (${INSTALL})`);
  const pg: RunningPostgres = await startPostgres();
  const port = await freePort();
  const secret = randomBytes(16).toString('hex');
  const adminToken = `*:*.${secret}`;
  const backendToken = `default:production.${secret}`;
  const child = spawn(process.execPath, [main], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: await pg.createDatabase(),
      DATABASE_SSL: 'false',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      CHECK_VERSION: 'false',
      SEND_TELEMETRY: 'false',
      SCARF_ANALYTICS: 'false',
      LOG_LEVEL: 'error',
      INIT_ADMIN_API_TOKENS: adminToken,
      INIT_BACKEND_API_TOKENS: backendToken,
    },
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const orphaned = () => child.kill('SIGKILL');
  process.once('exit', orphaned);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.off('exit', orphaned);
    await stopChild(child, 'SIGTERM', 10_000);
    await pg.stop();
  };
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`unleash-server exited ${child.exitCode}`);
        const r = await fetch(`${url}/api/admin/projects/default/features`, {
          headers: { authorization: adminToken },
        }).catch(() => null);
        return r?.status === 200;
      },
      'unleash-server to answer',
      120_000,
    );
  } catch (err) {
    await stop();
    throw new Error(`unleash-server did not start: ${(err as Error).message}\n${stderr}`);
  }
  return { url, adminToken, backendToken, stop };
}

/** The test file's one Unleash: started by the first caller, stopped after the file's tests. */
export function unleashPerFile(): () => Promise<RunningUnleash> {
  let started: Promise<RunningUnleash> | undefined;
  after(async () => {
    const running = await started?.catch(() => undefined);
    await running?.stop();
  });
  return () => (started ??= startUnleash());
}
