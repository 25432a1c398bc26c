// api-orders: a dependency-free HTTP service for cutover's examples and end-to-end tests.
// The version it reports and its failure rate come from the environment that the image sets.
import { createServer } from 'node:http';

const version = process.env.APP_VERSION ?? 'dev';
const failPercent = Number(process.env.FAIL_PERCENT ?? '0');
const healthy = process.env.HEALTHY !== 'false';
const port = Number(process.env.PORT ?? '3000');
const host = process.env.HOST ?? '127.0.0.1';

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

let counter = 0;
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') {
    return healthy
      ? send(res, 200, { status: 'ok', version })
      : send(res, 503, { status: 'starting forever' });
  }
  // Deterministic failure share, so a "bad version" fails exactly FAIL_PERCENT % of requests.
  counter = (counter + 1) % 100;
  if (counter < failPercent) return send(res, 500, { error: 'injected failure', version });
  if (url.pathname === '/orders') return send(res, 200, { version, orders: [{ id: 1, total: 42 }] });
  return send(res, 200, { service: 'api-orders', version });
});

server.keepAliveTimeout = 65_000;
server.listen(port, host, () => console.log(`api-orders ${version} listening on ${host}:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
