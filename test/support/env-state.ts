import type { CliRun } from './cli.js';

type Cli = (args: string[], env?: NodeJS.ProcessEnv) => Promise<CliRun>;

/** What serves an environment, as `runtime status` reports it: `{ "<version tag>": weight }`. */
export async function serving(cli: Cli, environment = 'production'): Promise<Record<string, number>> {
  const run = await cli(['runtime', 'status', '--output', 'json']);
  if (run.code !== 0) throw new Error(`runtime status failed: ${run.stderr}`);
  const status = JSON.parse(run.stdout) as {
    environments: Array<{
      environment: string;
      versions: Array<{ release: { tag: string }; weight: number }>;
    }>;
  };
  const env = status.environments.find((e) => e.environment === environment);
  const out: Record<string, number> = {};
  for (const v of env?.versions ?? []) if (v.weight > 0) out[v.release.tag] = v.weight;
  return out;
}

/** A flag's state in one environment, as `flags get` reports it. */
export async function flagState(
  cli: Cli,
  name: string,
  environment = 'production',
): Promise<{ state: string; percentage: number }> {
  const run = await cli(['flags', 'get', name, '--env', environment, '--output', 'json']);
  if (run.code !== 0) throw new Error(`flags get ${name} failed: ${run.stderr}`);
  const { state, percentage } = JSON.parse(run.stdout) as { state: string; percentage: number };
  return { state, percentage };
}
