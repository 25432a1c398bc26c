import { createServer, type Server } from 'node:http';
import { CutoverError } from '../../core/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { RuntimeExposition } from './metrics-exposition.js';
import type { VersionTotals } from './version-totals.js';

/**
 * `GET /metrics` in Prometheus's text format on the address cutover.yaml's `runtime.metrics_listen`
 * gives (`host:port`), off until asked. Listening again on the same address changes nothing, so
 * every CLI that ensures the daemon may ask; another address (or none) closes the old listener.
 */
export class MetricsServer {
  private server: Server | null = null;
  private address: string | null = null;

  constructor(
    private readonly exposition: RuntimeExposition,
    private readonly gather: () => Promise<VersionTotals[]>,
    private readonly logger: Logger,
  ) {}

  get listening(): string | null {
    return this.address;
  }

  async listen(address: string | null): Promise<void> {
    if (address === this.address) return;
    await this.close();
    if (address === null) return;
    const match = /^(.+):(\d{1,5})$/.exec(address);
    if (!match)
      throw new CutoverError(
        'E_INVALID_INPUT',
        `runtime.metrics_listen: must be host:port, got "${address}"`,
      );
    const server = createServer((req, res) => void this.answer(req.method ?? '', req.url ?? '', res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new CutoverError(
            'E_INVALID_INPUT',
            `runtime.metrics_listen: cannot listen on ${address} (${err.code ?? err.message})`,
          ),
        ),
      );
      server.listen(Number(match[2]), match[1]!.replace(/^\[|\]$/g, ''), () => resolve());
    });
    this.server = server;
    this.address = address;
    this.logger.info('Serving /metrics', { listen: address });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.address = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(method: string, url: string, res: import('node:http').ServerResponse): Promise<void> {
    if (method !== 'GET' || url.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    try {
      this.exposition.update(await this.gather());
      const body = await this.exposition.registry.metrics();
      res.writeHead(200, { 'content-type': this.exposition.registry.contentType }).end(body);
    } catch (err) {
      this.logger.error('Metrics scrape failed', { error: err });
      res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
    }
  }
}
