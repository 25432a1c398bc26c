import { chmod, unlink } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CutoverError, ERROR_CODES, toCutoverError, type ErrorCode } from '../../core/errors.js';
import { FENCE_HEADER, type ErrorBody } from '../client/api-types.js';

/** What a route returns: a status and a JSON body. */
export interface Reply {
  status: number;
  body: unknown;
}

/** `fence`: the request's `cutover-fence` header, which a deploy's target commands carry (fence-book.ts) */
export type AdminHandler = (method: string, url: URL, body: unknown, fence?: string) => Promise<Reply>;

const MAX_BODY_BYTES = 1 << 20;

/** Serves `handler` as a JSON API on a unix socket; errors become `{code, message}` with a 4xx/5xx. */
export async function listenAdmin(socketPath: string, handler: AdminHandler): Promise<Server> {
  await removeStaleSocket(socketPath);
  const server = createServer((req, res) => void serve(req, res, handler));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Whoever can talk to the socket can run any image: only the owner may.
  await chmod(socketPath, 0o600);
  return server;
}

async function serve(req: IncomingMessage, res: ServerResponse, handler: AdminHandler): Promise<void> {
  let reply: Reply;
  try {
    const body = await readJsonBody(req);
    const fence = req.headers[FENCE_HEADER];
    const url = new URL(req.url ?? '/', 'http://runtime');
    reply = await handler(req.method ?? 'GET', url, body, Array.isArray(fence) ? fence.join(',') : fence);
  } catch (err) {
    const error = toCutoverError(err);
    const body: ErrorBody = { code: error.code, message: error.message, details: error.details };
    reply = { status: statusOf(error.code), body };
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new CutoverError('E_INVALID_INPUT', 'request body too large', {});
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new CutoverError('E_INVALID_INPUT', 'request body is not JSON', {}, err);
  }
}

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'E_NOT_FOUND':
      return 404;
    case 'E_WRONG_STATE':
    case 'E_STALE_FENCING_TOKEN':
      return 409;
    case 'E_HEALTH_TIMEOUT':
      return 504;
    case 'E_RUNTIME_UNAVAILABLE':
      return 503;
    default:
      return ERROR_CODES[code] === 'input' ? 400 : 500;
  }
}

/** A socket file nobody answers on is left over from a daemon that died; one that answers is not ours to take. */
async function removeStaleSocket(socketPath: string): Promise<void> {
  const answers = await new Promise<boolean>((resolve) => {
    const socket = createConnection(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  if (answers) {
    throw new CutoverError('E_RUNTIME_UNAVAILABLE', `another runtime daemon answers on ${socketPath}`, {});
  }
  await unlink(socketPath).catch(() => undefined);
}
