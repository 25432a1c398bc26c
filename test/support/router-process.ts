import { createServer, type AddressInfo, type Server } from 'node:net';
import { createNullLogger } from '../../src/lib/logger.js';
import type { WireTable } from '../../src/runtime/workers/router-wire.js';
import { RouterWorkers } from '../../src/runtime/workers/router-workers.js';
import type { WorkerPlace } from '../../src/runtime/workers/worker-link.js';
import { join } from 'node:path';

/** A state dir's router processes where the daemon of that state dir would start them. */
export function place(stateDir: string): WorkerPlace {
  return { stateDir, runtimeDir: join(stateDir, 'runtime') };
}

/**
 * One router process serving `environment` with `table` on a fresh loopback port, set up as the
 * daemon does it: the listening socket is handed over, then closed here. The router process
 * keeps its copy, so from then on it accepts every connection.
 */
export async function startRouterProcess(
  stateDir: string,
  environment: string,
  table: WireTable,
): Promise<{ workers: RouterWorkers; base: string }> {
  const workers = new RouterWorkers(1, place(stateDir), createNullLogger());
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await workers.listen(environment, server);
  await workers.setTable(environment, table);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { workers, base };
}
