import { isIP } from 'node:net';
import { CutoverError } from '../../core/errors.js';

export const ROUTER_HOST_VAR = 'CUTOVER_ROUTER_HOST';
export const LOOPBACK = '127.0.0.1';

/**
 * The address every environment's router listens on: the value of CUTOVER_ROUTER_HOST, else
 * 127.0.0.1. A daemon on this machine serves it alone; the agent on a host of an ssh target
 * serves the network (its load balancer), so it is started with the host's address or 0.0.0.0.
 */
export function routerHost(raw: string | undefined = process.env[ROUTER_HOST_VAR]): string {
  if (raw === undefined || raw.trim() === '') return LOOPBACK;
  if (isIP(raw) === 0) {
    throw new CutoverError('E_USAGE', `${ROUTER_HOST_VAR}=${JSON.stringify(raw)}: must be an IP address`, {
      [ROUTER_HOST_VAR]: raw,
    });
  }
  return raw;
}

/** Where something on the same host reaches a router listening on `host`, as a URL's host. */
export function localAddressOf(host: string): string {
  if (host === '0.0.0.0') return LOOPBACK;
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
