import type { Socket } from 'node:net';
import type { FastSocket } from './fast-socket.js';
import type { RouterServer } from './node-front.js';

/**
 * Closes a router's server: it stops accepting, idle connections end now and busy ones after
 * their exchange. Keep-alive clients that hold on to a connection are cut after `graceMs`, and so
 * are WebSocket tunnels, which node:http's closeAllConnections no longer reaches.
 */
export function closeRouterServer(
  server: RouterServer,
  fast: Set<FastSocket>,
  tunnels: Set<Socket>,
  graceMs = 5000,
): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      for (const conn of fast) conn.socket.destroy();
      for (const tunnel of tunnels) tunnel.destroy();
    }, graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
    for (const conn of fast) conn.closeWhenIdle();
  });
}
