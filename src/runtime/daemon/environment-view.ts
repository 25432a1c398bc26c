import type { EnvironmentView } from '../client/api-types.js';
import { addCounters } from '../http/router-limits.js';
import type { ProcessCounters } from '../workers/router-wire.js';
import type { Environment } from './environment.js';
import type { DesiredEnvironment } from '../client/state-file.js';

/** The admin API's view of `env`, with the in-flight, 502 and front counts of its router processes. */
export function viewOf(env: Environment, elsewhere: ProcessCounters): EnvironmentView {
  const front = { ...env.router.counters };
  addCounters(front, elsewhere.front);
  return {
    environment: env.name,
    port: env.router.port || env.wantedPort,
    listening: env.router.port !== 0,
    stickiness_header: env.stickinessHeader,
    group_id: env.groupId,
    limits: { ...env.limits },
    front,
    versions: env.versions
      .newestFirst()
      .map((v) => v.toView(env.weights[v.digest] ?? 0, elsewhere.backends[v.digest])),
  };
}

/** What `env` is asked to be, as saved for the next daemon: its router, weights and versions. */
export function desiredOf(env: Environment): DesiredEnvironment {
  return {
    port: env.wantedPort,
    stickiness_header: env.stickinessHeader,
    group_id: env.groupId,
    limits: { ...env.limits },
    weights: { ...env.weights },
    versions: env.versions
      .newestFirst()
      .filter((v) => v.state !== 'stopping')
      .map((v) => v.toDesired()),
  };
}
