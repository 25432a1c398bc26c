import { mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toCutoverError } from '../../core/errors.js';
import { listenAdmin } from './admin-http.js';
import { createAdminRoutes } from './admin-routes.js';
import { FenceBook } from './fence-book.js';
import { dropUnlistedEnvironment } from '../client/daemon-env.js';
import { createFileLogger } from '../../lib/logger.js';
import { MAX_SOCKET_PATH_BYTES, resolveRuntimePaths } from '../client/paths.js';
import { claimPidFile, releasePidFile } from './claim-pid-file.js';
import { routerProcessCount } from '../client/router-processes.js';
import { routerHost } from '../client/router-host.js';
import { Runtime } from './runtime.js';
import { createRuntimeExposition } from './metrics-exposition.js';
import { MetricsServer } from './metrics-server.js';
import { gatherVersionTotals } from './version-totals.js';

/**
 * The local runtime daemon: `node daemon-main.js --state-dir <dir> [--runtime-dir <dir>]`. Normally started by
 * `ensureDaemon` (client/daemon-control.ts), detached, with stdout/stderr in the daemon log.
 */
async function main(): Promise<void> {
  dropUnlistedEnvironment();
  const { values } = parseArgs({
    options: { 'state-dir': { type: 'string' }, 'runtime-dir': { type: 'string' } },
  });
  const stateDir = resolve(values['state-dir'] ?? '.cutover');
  const paths = resolveRuntimePaths(stateDir, values['runtime-dir'] && resolve(values['runtime-dir']));
  mkdirSync(paths.dir, { recursive: true });
  const logger = createFileLogger(paths.logFile);
  if (Buffer.byteLength(paths.socket) > MAX_SOCKET_PATH_BYTES) {
    logger.error('Socket path too long', { socket: paths.socket, max: MAX_SOCKET_PATH_BYTES });
    process.exit(1);
  }
  let routerProcesses: number;
  let host: string;
  try {
    routerProcesses = routerProcessCount();
    host = routerHost();
    await claimPidFile(paths.pidFile);
  } catch (err) {
    logger.error('Not starting', { error: toCutoverError(err).message });
    process.exit(1);
  }
  const runtime = new Runtime(stateDir, paths, logger, { processes: routerProcesses, host });
  const exposition = createRuntimeExposition();
  const metricsServer = new MetricsServer(exposition, () => gatherVersionTotals(runtime), logger);
  let admin: Awaited<ReturnType<typeof listenAdmin>> | null = null;
  let stopping: Promise<void> | null = null;
  const shutdown = (reason: string, code = 0): Promise<void> => {
    stopping ??= (async () => {
      logger.info('Stopping', { reason });
      await metricsServer.close();
      await runtime.shutdown().catch((err: unknown) => logger.error('Shutdown failed', { error: err }));
      admin?.close();
      admin?.closeAllConnections();
      await unlink(paths.socket).catch(() => undefined);
      await releasePidFile(paths.pidFile);
      logger.info('Stopped', { reason });
      logger.close();
      process.exit(code);
    })();
    return stopping;
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('uncaughtException', (err) => {
    logger.error('Uncaught exception', { error: err, stack: err.stack });
    void shutdown('uncaught exception', 1);
  });

  try {
    admin = await listenAdmin(
      paths.socket,
      createAdminRoutes(runtime, () => void shutdown('POST /shutdown'), {
        fences: new FenceBook(paths.fencesFile),
        metrics: { server: metricsServer, exposition },
      }),
    );
  } catch (err) {
    logger.error('Cannot listen', { socket: paths.socket, error: err });
    await releasePidFile(paths.pidFile);
    process.exit(1);
  }
  logger.info('Started', { pid: process.pid, socket: paths.socket, stateDir, routerProcesses, host });
  await runtime.restore().catch((err: unknown) => logger.error('Restore failed', { error: err }));
  logger.info('Restored', { environments: (await runtime.status()).environments.length });
}

void main();
