import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FrontHost } from './front-contracts.js';
import { BAD_REQUEST, HEAD_TOO_LARGE, REQUEST_TIMEOUT } from './http1/front-answers.js';
import type { TrackedResponse } from './proxy.js';

/**
 * A request body that stops arriving for body_idle_timeout is given up: 408, or a cut. node:http
 * emits the socket's timeout on the request while its body is incomplete (else it destroys the
 * socket), so the listener sits on `req`.
 */
export function watchBodyIdle(host: FrontHost, req: IncomingMessage, res: TrackedResponse): void {
  if (!res.hasBody || req.complete) return;
  const socket = req.socket;
  const ms = host.limits().body_idle_timeout_ms;
  const onIdle = (): void => {
    // Not reading is the router's doing while the version is slow to take the body.
    if (req.isPaused() || req.readableLength > 0) return void socket.setTimeout(ms);
    host.counters.body_timeouts++;
    const answered = res.headersSent;
    // Settled first: the aborted upstream request must not answer 502 in our place.
    res.settled = true;
    res.exchange?.abort?.();
    if (answered) return void socket.destroy();
    socket.end(REQUEST_TIMEOUT);
  };
  socket.setTimeout(ms);
  req.on('timeout', onIdle);
  req.once('end', () => {
    socket.setTimeout(0);
    req.off('timeout', onIdle);
  });
  // Only the listener: by now node:http may have armed the socket's keep-alive timer.
  res.once('close', () => req.off('timeout', onIdle));
}

/** node:http's parser refused what the client sent: the fast path's answer for it, counted the same way. */
export function refuseClient(host: FrontHost, err: NodeJS.ErrnoException, socket: Socket): void {
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || answering?.headersSent) return void socket.destroy();
  let answer = BAD_REQUEST;
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    host.counters.heads_too_large++;
    answer = HEAD_TOO_LARGE;
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    host.counters.header_timeouts++;
    answer = REQUEST_TIMEOUT;
  } else host.counters.bad_requests++;
  socket.end(answer);
}
