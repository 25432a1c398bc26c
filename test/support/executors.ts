import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { stringify } from 'yaml';
import { CLI, runCli, type CliRun } from './cli.js';
import { freePort } from './ports.js';
import { makeTempDir } from './tmp.js';

export type Executors = Awaited<ReturnType<typeof makeExecutors>>;

/** A CLI started in the background, its stderr kept as it comes, so a test can act mid-deploy. */
export interface RunningCli {
  child: ChildProcess;
  stderr(): string;
  done: Promise<CliRun>;
}

/**
 * One cutover.yaml read by several executors, each with a state dir of its own (standing in for
 * another machine), all on one PostgreSQL database and one local runtime (`target.runtime_dir`,
 * relative to cutover.yaml). `environments` get free router ports.
 */
export async function makeExecutors(
  databaseUrl: string,
  o: { environments?: string[]; lockTtl?: string } = {},
) {
  const tmp = makeTempDir('cutover-pg-e2e-');
  const names = o.environments ?? ['production'];
  const ports: Record<string, number> = {};
  for (const name of names) ports[name] = await freePort();
  const target = (port: number) => ({
    type: 'local',
    port,
    runtime_dir: './runtime',
    health_timeout: '20s',
    drain_timeout: '2s',
  });
  const config = {
    state: { type: 'postgres', url_env: 'TEST_DATABASE_URL' },
    lock: { ttl: o.lockTtl ?? '30s' },
    environments: Object.fromEntries(names.map((n) => [n, { target: target(ports[n]!) }])),
    baseline: { window: '5s', min_samples: 1 },
  };
  writeFileSync(join(tmp.dir, 'cutover.yaml'), stringify(config));
  const env = (name: string) => ({
    CUTOVER_STATE_DIR: join(tmp.dir, `state-${name}`),
    TEST_DATABASE_URL: databaseUrl,
  });
  const executor = (name: string) => ({
    name,
    stateDir: join(tmp.dir, `state-${name}`),
    cli: (args: string[]): Promise<CliRun> => runCli(args, { cwd: tmp.dir, env: env(name) }),
    start(args: string[]): RunningCli {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: tmp.dir,
        env: { ...process.env, ...env(name) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d) => (stdout += d));
      child.stderr!.on('data', (d) => (stderr += d));
      const done = new Promise<CliRun>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr }));
      });
      return { child, stderr: () => stderr, done };
    },
  });
  return {
    dir: tmp.dir,
    ports,
    executor,
    /** what `environment`'s router answers, as the sample app says it: its version */
    async version(environment = 'production'): Promise<string> {
      const res = await fetch(`http://127.0.0.1:${ports[environment]}/`);
      return ((await res.json()) as { version: string }).version;
    },
    /** the database's rows, read as the test's own client */
    async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return (await client.query<R>(sql, values)).rows;
      } finally {
        await client.end();
      }
    },
    /** stops the shared runtime daemon (through any executor), then removes everything */
    async dispose(): Promise<void> {
      await executor('cleanup').cli(['runtime', 'stop', '--env', names[0]!]);
      tmp.cleanup();
    },
  };
}

/** Resolves once `running`'s stderr matches `pattern`; rejects if it exits first. */
export async function waitForOutput(
  running: RunningCli,
  pattern: RegExp,
  timeoutMs = 120_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pattern.test(running.stderr())) {
    if (running.child.exitCode !== null || running.child.signalCode !== null)
      throw new Error(`exited before ${pattern}:\n${running.stderr()}`);
    if (Date.now() > until) throw new Error(`no ${pattern} after ${timeoutMs} ms:\n${running.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
