import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';

/** What the proxy does wrong, once armed. A cut fires once, a failing PUT `times` times. */
export type Fault =
  /** Cuts both connections once `bytes` bytes of blob upload bodies (PATCH/PUT) went through. */
  | { kind: 'cut-upload'; afterBytes: number }
  /** Answers `status` (500) to the next `times` manifest PUTs without forwarding them. */
  | { kind: 'fail-manifest-put'; status?: number; times: number }
  /** Flips the byte at `offset` of every matching request body (blob uploads by default). */
  | { kind: 'flip-byte'; offset: number; match?: (method: string, path: string) => boolean }
  /** Answers `status` to every request whose User-Agent matches `agent`, without forwarding it. */
  | { kind: 'refuse-agent'; agent: RegExp; status: number };

export interface LoggedRequest {
  method: string;
  path: string;
  status?: number;
  /** set when the proxy interfered with this request */
  fault?: Fault['kind'];
}

export interface FaultProxy {
  url: string;
  port: number;
  requests: LoggedRequest[];
  /** Replaces the active fault (one at a time); `undefined` makes the proxy a plain one again. */
  arm(fault: Fault | undefined): void;
  close(): Promise<void>;
}

export const isBlobUpload = (method: string, path: string): boolean =>
  (method === 'PATCH' || method === 'PUT') && path.includes('/blobs/uploads/');
const isManifestPut = (method: string, path: string): boolean =>
  method === 'PUT' && path.includes('/manifests/');

/**
 * A loopback HTTP proxy in front of a registry that breaks things on purpose. Host headers pass
 * through unchanged, so the registry's upload Locations point back at the proxy.
 */
export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const agent = new Agent({ keepAlive: true });
  const requests: LoggedRequest[] = [];
  let fault: Fault | undefined;
  let uploaded = 0;

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const entry: LoggedRequest = { method, path };
    requests.push(entry);
    if (fault?.kind === 'fail-manifest-put' && fault.times > 0 && isManifestPut(method, path)) {
      fault.times--;
      entry.fault = fault.kind;
      return answerInjectedError(req, res, fault.status ?? 500, entry);
    }
    if (fault?.kind === 'refuse-agent' && fault.agent.test(req.headers['user-agent'] ?? '')) {
      entry.fault = fault.kind;
      return answerInjectedError(req, res, fault.status, entry);
    }
    const upstream = request(
      { host: target.hostname, port: target.port, method, path, headers: req.headers, agent },
      (upstreamRes) => {
        entry.status = upstreamRes.statusCode;
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.on('error', () => upstream.destroy());
    const bodyOffset = { value: 0 };
    let severed = false;
    const tamper = new Transform({
      transform(chunk: Buffer, _encoding, done: TransformCallback) {
        if (severed) return done();
        if (fault?.kind === 'flip-byte' && (fault.match ?? isBlobUpload)(method, path))
          flipByte(chunk, bodyOffset.value, fault.offset, entry);
        bodyOffset.value += chunk.length;
        if (
          fault?.kind === 'cut-upload' &&
          isBlobUpload(method, path) &&
          uploaded + chunk.length > fault.afterBytes
        ) {
          const allowed = fault.afterBytes - uploaded;
          entry.fault = fault.kind;
          fault = undefined;
          severed = true;
          if (allowed > 0) this.push(chunk.subarray(0, allowed));
          // Let the allowed bytes reach the registry before both sides are cut off.
          setTimeout(() => {
            upstream.destroy();
            req.socket.destroy();
          }, 50);
          return done();
        }
        uploaded += isBlobUpload(method, path) ? chunk.length : 0;
        done(null, chunk);
      },
    });
    req.pipe(tamper).pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    arm: (next) => {
      fault = next;
      uploaded = 0;
    },
    close: async () => {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function flipByte(chunk: Buffer, chunkStart: number, offset: number, entry: LoggedRequest): void {
  if (offset >= chunkStart && offset < chunkStart + chunk.length) {
    chunk[offset - chunkStart] = (chunk[offset - chunkStart] ?? 0) ^ 0xff;
    entry.fault = 'flip-byte';
  }
}

function answerInjectedError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  entry: LoggedRequest,
): void {
  entry.status = status;
  req.resume();
  req.on('end', () => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'injected by the fault proxy' }] }));
  });
}
