import { CutoverError } from '../core/errors.js';

export interface ListenAddress {
  host: string;
  port: number;
  loopback: boolean;
}

/** `--listen host:port` (`[::1]:7070` for IPv6); port 0 picks a free one. */
export function parseListen(value: string): ListenAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || port > 65535)
    throw new CutoverError('E_USAGE', `--listen: must be host:port, e.g. 127.0.0.1:7070, got "${value}"`);
  const host = match[1] ?? match[2]!;
  const loopback = /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === 'localhost';
  return { host, port, loopback };
}
