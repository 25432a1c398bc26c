import { request, type RequestOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { CutoverError, ERROR_CODES, type ErrorCode } from '../../core/errors.js';
import type { ErrorBody } from './api-types.js';

/** Opens a byte stream to the admin socket and hands it to `done` (or the reason it cannot). */
export type StreamConnector = (done: (err: Error | null, stream?: Duplex) => void) => void;

export interface AdminRequest {
  method: string;
  path: string;
  body?: unknown;
  timeoutMs?: number | undefined;
  headers?: Record<string, string>;
}

/**
 * One JSON request to a runtime daemon's admin socket (admin-client.ts). Errors the daemon
 * reports come back as the CutoverError it threw; a daemon that does not answer, or answers
 * garbage, is `E_RUNTIME_UNAVAILABLE`.
 */
export function adminRequest<T>(
  where: { socketPath: string; connect?: StreamConnector },
  { method, path, body, timeoutMs, headers = {} }: AdminRequest,
): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const unavailable = (err: NodeJS.ErrnoException) =>
    new CutoverError(
      'E_RUNTIME_UNAVAILABLE',
      `the runtime daemon does not answer on ${where.socketPath}: ${err.code ?? err.message}`,
      { socket: where.socketPath },
      err,
    );
  return new Promise<T>((resolve, reject) => {
    const connect = where.connect;
    // Node's ClientRequest waits for a connection handed over later (the SSH channel opens
    // asynchronously) when createConnection returns nothing; it is used only without an agent.
    const options: RequestOptions = connect
      ? { createConnection: (_options, oncreate) => void connect((err, stream) => oncreate(err, stream!)) }
      : { socketPath: where.socketPath, agent: false };
    const req = request({ ...options, method, path, timeout: timeoutMs });
    req.setHeader('content-type', 'application/json');
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
    req.once('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.once('error', (err: NodeJS.ErrnoException) => reject(unavailable(err)));
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', (err) => reject(unavailable(err)));
      res.once('end', () => {
        try {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          if ((res.statusCode ?? 500) < 400) resolve(parsed as T);
          else reject(toError(parsed as ErrorBody, res.statusCode ?? 500));
        } catch (err) {
          const garbage = `the runtime daemon answered ${path} with garbage`;
          reject(new CutoverError('E_RUNTIME_UNAVAILABLE', garbage, {}, err));
        }
      });
    });
    req.end(payload);
  });
}

function toError(body: ErrorBody, status: number): CutoverError {
  const code = (body.code in ERROR_CODES ? body.code : 'E_RUNTIME_UNAVAILABLE') as ErrorCode;
  return new CutoverError(code, body.message ?? `runtime daemon answered ${status}`, body.details ?? {});
}
