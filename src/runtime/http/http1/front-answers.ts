import { STATUS_CODES } from 'node:http';

/**
 * What the router answers itself when a client breaks the protocol or its limits, on either path
 * (fast path and node:http): a JSON error like every other answer of the router's own, and the
 * connection closed, since nothing after a refused request can be trusted to be in step.
 */
function answer(status: number, code: string, message: string): Buffer {
  const body = errorBody(code, message);
  return Buffer.from(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    'latin1',
  );
}

/** The JSON body of the router's own error answers. */
export function errorBody(code: string, message: string): string {
  return `${JSON.stringify({ code, message })}\n`;
}

export const BAD_REQUEST_BODY = errorBody('E_BAD_REQUEST', 'malformed HTTP/1.1 request');
export const BAD_REQUEST = answer(400, 'E_BAD_REQUEST', 'malformed HTTP/1.1 request');
export const REQUEST_TIMEOUT = answer(408, 'E_REQUEST_TIMEOUT', 'the request did not arrive in time');
export const HEAD_TOO_LARGE = answer(431, 'E_HEAD_TOO_LARGE', 'the request head is over 64 KiB');
export const OVER_CAPACITY = answer(503, 'E_OVER_CAPACITY', 'the router has as many connections as it takes');
export const METHOD_NOT_ALLOWED = answer(405, 'E_METHOD_NOT_ALLOWED', 'CONNECT is not proxied');

/** Largest request head either path takes, request line and blank line included. */
export const MAX_HEAD_BYTES = 64 * 1024;
/** The same body as the fast path's and node:http path's 502, for tunnels that never opened. */
export const BAD_GATEWAY_ANSWER = answer(502, 'E_BAD_GATEWAY', 'the version did not answer');
export const NO_VERSION_ANSWER = answer(503, 'E_NO_VERSION', 'no version serves this environment');
