import { createServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo } from 'node:net';

/** A request as the backend parsed it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface LenientBackend {
  port: number;
  seen: SeenRequest[];
  /** every byte the router sent, per connection, in order (latin1) */
  received: string[];
  /** resolves once every connection from the router whose bytes include `marker` is closed */
  closedWith(marker: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A version with the most lenient parser Node has (`insecureHTTPParser`: bare LF ends a line,
 * odd bytes pass), standing in for HAProxy's defaults and the many app servers that accept
 * what llhttp refuses. It records every request it parsed, body included, and answers each with
 * its own method and URL, keeping the connection alive: a desync in the router shows up here as
 * a request nobody sent, or one client's request inside another's body. A TCP relay in front
 * records the raw bytes the router sent, so "nothing was forwarded" can be checked byte for byte.
 */
export async function startLenientBackend(): Promise<LenientBackend> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer(
    { insecureHTTPParser: true, keepAliveTimeout: 30_000, maxHeaderSize: 256 * 1024 },
    (req, res) => {
      let body = '';
      req.setEncoding('latin1');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        const text = `${req.method} ${req.url}`;
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const received: string[] = [];
  const closed: boolean[] = [];
  const relay = createTcpServer((client) => {
    const index = received.push('') - 1;
    closed[index] = false;
    client.once('close', () => (closed[index] = true));
    const upstream = connect((server.address() as AddressInfo).port, '127.0.0.1');
    client.on('data', (chunk: Buffer) => (received[index] += chunk.toString('latin1')));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    port: (relay.address() as AddressInfo).port,
    seen,
    received,
    closedWith: async (marker) => {
      const open = (): boolean => received.some((bytes, i) => bytes.includes(marker) && !closed[i]);
      while (open()) await new Promise((resolve) => setTimeout(resolve, 10));
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      relay.close();
    },
  };
}
