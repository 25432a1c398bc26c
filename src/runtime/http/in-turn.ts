import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const queues = new WeakMap<Socket, Array<() => void>>();

/**
 * Runs `start` now when no request of this connection is being proxied, else once the ones
 * before it are answered. node:http parses pipelined requests as they come and would hand them
 * to the router all at once; the version must get them in the order the client sent them, as it
 * does on the fast path, which relays one exchange at a time.
 */
export function inTurn(socket: Socket, res: ServerResponse, start: () => void): void {
  const queue = queues.get(socket);
  const run = (): void => {
    res.once('close', () => next(socket));
    start();
  };
  if (queue === undefined) {
    queues.set(socket, []);
    // A client that leaves drops what it pipelined: those requests never reach the version.
    socket.once('close', () => queues.delete(socket));
    run();
  } else queue.push(run);
}

function next(socket: Socket): void {
  const queue = queues.get(socket);
  const run = queue?.shift();
  if (run !== undefined) run();
  else queues.delete(socket);
}
