import type { IncomingMessage } from 'node:http';

/**
 * Adds x-forwarded-* and drops what describes the client's connection rather than the request:
 * the router's connection to the version is its own (keep-alive, no 100-continue, own framing).
 * Returns whether the request has a body.
 */
export function prepareHeaders(req: IncomingMessage): boolean {
  const headers = req.headers;
  const length = headers['content-length'];
  const hasBody = (length !== undefined && length !== '0') || headers['transfer-encoding'] !== undefined;
  const prior = headers['x-forwarded-for'];
  const client = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = prior === undefined ? client : `${prior}, ${client}`;
  if (headers['x-forwarded-proto'] === undefined) headers['x-forwarded-proto'] = 'http';
  if (headers.connection !== undefined) delete headers.connection;
  if (headers['keep-alive'] !== undefined) delete headers['keep-alive'];
  if (headers['proxy-connection'] !== undefined) delete headers['proxy-connection'];
  if (headers['transfer-encoding'] !== undefined) delete headers['transfer-encoding'];
  if (headers.upgrade !== undefined) delete headers.upgrade;
  if (headers.expect !== undefined) delete headers.expect;
  return hasBody;
}

/** A header of the version's connection to the router, not of the answer: the client does not get it. */
export function isHopByHop(name: string): boolean {
  switch (name.length) {
    case 7:
      return name.toLowerCase() === 'trailer' || name.toLowerCase() === 'upgrade';
    case 10:
      return name.toLowerCase() === 'connection' || name.toLowerCase() === 'keep-alive';
    case 16:
      return name.toLowerCase() === 'proxy-connection';
    default:
      return false;
  }
}
