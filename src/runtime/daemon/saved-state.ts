import type { Logger } from '../../lib/logger.js';
import type { Environment } from './environment.js';
import { desiredOf } from './environment-view.js';
import type { DesiredEnvironment, DesiredState, StartedProcess } from '../client/state-file.js';
import { reapStaleProcess } from './supervisor.js';
import { removeContainer } from '../container/container-process.js';
import { sweepContainers } from '../container/sweep-containers.js';

// How often a restored router retries a port something else holds.
const LISTEN_RETRY_MS = 2000;

/**
 * What the daemon saves: each environment as it is asked to be, and the processes of starts and
 * retirements in progress, not wanted back but reaped by the next daemon should this one die
 * before they end.
 */
export function desiredStateOf(environments: ReadonlyMap<string, Environment>): DesiredState {
  const state: DesiredState = { version: 1, environments: {} };
  for (const [name, env] of environments) {
    const starting = env.versions.startingProcesses().map(toStartedProcess);
    const retiring = env.versions.retiringVersions().map(toStartedProcess);
    state.environments[name] = { ...desiredOf(env), starting, retiring };
  }
  return state;
}

/**
 * Brings back every saved environment, each made by `create`, once the processes the last
 * daemon left starting or retiring are reaped; then removes the runtime's containers that none
 * of its versions runs in.
 */
export async function restoreEnvironments(
  state: DesiredState,
  runtimeDir: string,
  logger: Logger,
  create: (name: string) => Environment,
): Promise<void> {
  const environments: Environment[] = [];
  for (const saved of Object.values(state.environments)) {
    for (const p of [...(saved.starting ?? []), ...(saved.retiring ?? [])]) {
      if (p.container) await removeContainer(p.container);
      else reapStaleProcess(p.pid, p.procStartTicks);
    }
  }
  await Promise.all(
    Object.entries(state.environments).map(([name, saved]) => {
      const env = create(name);
      environments.push(env);
      return restoreEnvironment(env, saved, logger);
    }),
  );
  const running = environments.flatMap((env) => env.versions.processes());
  await sweepContainers(
    runtimeDir,
    new Set(running.flatMap((p) => (p.container ? [p.container] : []))),
    logger,
  );
}

/**
 * Brings one saved environment back: its router (retrying in the background while the port is
 * taken, so one busy port does not lose the saved state), its versions, then their weights.
 */
async function restoreEnvironment(
  env: Environment,
  saved: DesiredEnvironment,
  logger: Logger,
): Promise<void> {
  try {
    await env.configure(saved.port, saved.stickiness_header, saved.group_id, saved.limits);
    logger.info('Listening', { environment: env.name, port: saved.port });
  } catch (err) {
    logger.error('Cannot listen, will retry', { environment: env.name, port: saved.port, error: err });
    keepTryingToListen(env, saved.port, logger);
  }
  await Promise.all(
    saved.versions.map(async (v) => {
      // A container is adopted, not reaped: it kept serving while no daemon ran.
      if (!v.container) reapStaleProcess(v.pid, v.procStartTicks);
      try {
        const request = {
          release: v.release,
          layoutDir: v.layoutDir,
          healthTimeoutMs: v.healthTimeoutMs,
          ...(v.container ? { container: v.container } : {}),
        };
        await env.start(request, v.startedAt);
      } catch (err) {
        logger.error('Cannot restore version', {
          environment: env.name,
          digest: v.release.digest,
          error: err,
        });
      }
    }),
  );
  env.restoreWeights(saved.weights);
}

function keepTryingToListen(env: Environment, port: number, logger: Logger): void {
  const timer = setInterval(() => {
    if (env.closed) {
      clearInterval(timer);
      return;
    }
    env.configure(port).then(
      () => {
        clearInterval(timer);
        logger.info('Listening', { environment: env.name, port });
      },
      () => undefined,
    );
  }, LISTEN_RETRY_MS);
  timer.unref();
}

function toStartedProcess(p: {
  process: { pid: number; container?: string };
  procStartTicks: number | null;
}): StartedProcess {
  const { pid, container } = p.process;
  return { pid, procStartTicks: p.procStartTicks, ...(container ? { container } : {}) };
}
