import { availableParallelism } from 'node:os';
import { CutoverError } from '../../core/errors.js';

export const ROUTER_PROCESSES_VAR = 'CUTOVER_ROUTER_PROCESSES';
const MAX = 64;
// Past this many the default stops growing: one router process per core is plenty for a proxy
// whose versions need the same cores.
const DEFAULT_CAP = 8;

/**
 * How many processes accept on each environment's port, the daemon included: the value of
 * CUTOVER_ROUTER_PROCESSES, else one per core (up to 8). 1 keeps all routing in the daemon.
 */
export function routerProcessCount(raw: string | undefined = process.env[ROUTER_PROCESSES_VAR]): number {
  if (raw === undefined || raw.trim() === '') return Math.min(availableParallelism(), DEFAULT_CAP);
  const count = Number(raw);
  if (!/^[0-9]+$/.test(raw) || count < 1 || count > MAX) {
    throw new CutoverError(
      'E_USAGE',
      `${ROUTER_PROCESSES_VAR}=${JSON.stringify(raw)}: must be a whole number from 1 to ${MAX}`,
      { [ROUTER_PROCESSES_VAR]: raw },
    );
  }
  return count;
}
