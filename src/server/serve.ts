import { userInfo } from 'node:os';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { CutoverError } from '../core/errors.js';
import type { App } from '../cli/app.js';
import type { Identity } from '../service/identity.js';
import { openService, type Service } from '../service/service.js';
import { apiRoutes } from './api-routes.js';
import { bearerIdentities } from './bearer-auth.js';
import { withDashboard } from './dashboard-route.js';
import type { ListenAddress } from './listen-address.js';

export interface ServeOptions {
  app: App;
  openReader(): App;
  listen: ListenAddress;
  /** no `tokens:` configured: every caller is the OS user as admin; only on loopback */
  allowAnonymous: boolean;
  log(line: string): void;
  pollMs?: number;
}

export interface RunningServer {
  url: string;
  service: Service;
  /** stops accepting requests and ends the event streams; waits up to `graceMs` for deploys */
  close(graceMs: number): Promise<{ unfinished: number }>;
}

/** Who the server takes a request to be from: the bearer token's entry, or (no tokens, loopback, flag) the OS user. */
function identities(options: ServeOptions): (authorization: string | undefined) => Identity {
  const { tokens } = options.app.config;
  if (tokens.length > 0) {
    if (options.allowAnonymous)
      throw new CutoverError(
        'E_USAGE',
        '--allow-anonymous: cutover.yaml has tokens:, every caller must send one',
      );
    return bearerIdentities(tokens);
  }
  if (!options.allowAnonymous)
    throw new CutoverError(
      'E_USAGE',
      'cutover.yaml has no tokens: add one (README, "cutover serve"), or pass --allow-anonymous to serve on loopback without tokens',
    );
  if (!options.listen.loopback)
    throw new CutoverError(
      'E_USAGE',
      `--allow-anonymous: only on a loopback address, not ${options.listen.host}`,
    );
  const local: Identity = { name: process.env.CUTOVER_ACTOR ?? userInfo().username, role: 'admin' };
  return () => local;
}

/** Starts the HTTP API on `options.listen`; see docs/architecture.md#cutover-serve. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const identify = identities(options);
  const service = await openService({
    app: options.app,
    openReader: options.openReader,
    log: options.log,
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
  });
  const routes = withDashboard(apiRoutes({ service, identify, log: options.log }));
  // the service's journal tail keeps the process alive: a server that cannot listen stops it
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: routes.fetch, hostname: options.listen.host, port: options.listen.port }, () =>
      resolve(s),
    );
    s.once('error', (err) =>
      reject(
        new CutoverError(
          'E_USAGE',
          `--listen: cannot listen on ${options.listen.host}:${options.listen.port}: ${err.message}`,
        ),
      ),
    );
  }).catch((err: unknown) => {
    service.stop();
    throw err;
  });
  const { port } = server.address() as AddressInfo;
  const host = options.listen.host.includes(':') ? `[${options.listen.host}]` : options.listen.host;
  return {
    url: `http://${host}:${port}`,
    service,
    async close(graceMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      service.stop();
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      const settled = await service.settled(graceMs);
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
      if (settled) await service.close();
      return { unfinished: settled ? 0 : service.running() };
    },
  };
}
