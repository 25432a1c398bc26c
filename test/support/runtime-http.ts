import { Agent, createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  agent?: Agent;
}

/** One HTTP request on loopback, body read whole. */
export function httpRequest(url: string, options: HttpOptions = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      agent: options.agent,
    });
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(options.body);
  });
}

export interface InProcessBackend {
  name: string;
  port: number;
  /** request headers of every request the backend saw */
  seen: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/**
 * A real HTTP server in the test process that answers `{"version": name}`; `/echo` streams the
 * request body back, `/slow?ms=` answers after a delay.
 */
export async function startInProcessBackend(name: string): Promise<InProcessBackend> {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers);
    const url = new URL(req.url ?? '/', 'http://backend');
    if (url.pathname === '/echo') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-version': name });
      req.pipe(res);
      return;
    }
    const delay = url.pathname === '/slow' ? Number(url.searchParams.get('ms') ?? 500) : 0;
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
      res.end(JSON.stringify({ version: name }));
    }, delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    name,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
