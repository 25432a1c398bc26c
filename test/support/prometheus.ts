import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { stopChild } from './stop-child.js';
import { waitUntil } from './wait-until.js';

const BIN = process.env.CUTOVER_PROMETHEUS ?? '/usr/bin/prometheus';
const INSTALL = 'apt-get install -y prometheus';

export interface RunningPrometheus {
  url: string;
  /** the value of an instant query with one series, or undefined when it has none */
  value(query: string): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** Without CI, tests skip when Prometheus is missing; with CI=true they fail. */
export function skipUnlessPrometheus(): string | false {
  if (existsSync(BIN) || process.env.CI === 'true') return false;
  return `not installed: prometheus (${INSTALL}); with CI=true this test fails instead`;
}

/**
 * Debian's Prometheus 2.42 (RECIPES "Prometheus") on 127.0.0.1 and a random port, run by the test
 * (never the Debian service), scraping each `host:port` target's `/metrics` every second.
 * Resolves once it is ready; a target's first usable value comes 5–7 s later: poll for it.
 */
export async function startPrometheus(targets: string[]): Promise<RunningPrometheus> {
  if (!existsSync(BIN)) throw new Error(`prometheus is not installed at ${BIN} (${INSTALL})`);
  const dir = await mkdtemp(join(tmpdir(), 'cutover-prom-'));
  const config = [
    'global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }',
    'scrape_configs:',
    '  - job_name: cutover',
    `    static_configs: [{ targets: ${JSON.stringify(targets)} }]`,
  ].join('\n');
  await writeFile(join(dir, 'prometheus.yml'), `${config}\n`);
  const port = await freePort();
  const child = spawn(
    BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const orphaned = () => child.kill('SIGKILL');
  process.once('exit', orphaned);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.off('exit', orphaned);
    await stopChild(child, 'SIGTERM', 10_000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}`);
      return (await fetch(`${url}/-/ready`).catch(() => null))?.status === 200;
    }, 'prometheus to be ready');
  } catch (err) {
    await stop();
    throw new Error(`prometheus did not start: ${(err as Error).message}\n${stderr}`);
  }
  return {
    url,
    async value(query) {
      const reply = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
      const body = (await reply.json()) as { data: { result: Array<{ value: [number, string] }> } };
      const first = body.data.result[0];
      return first === undefined ? undefined : Number(first.value[1]);
    },
    stop,
  };
}
