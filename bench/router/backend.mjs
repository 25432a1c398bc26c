// Fallback backend for machines without gcc: the same answers and /__stats protocol as
// backend.c, in node:http. It costs about as much CPU per request as the router itself, so the
// direct run then measures this backend rather than wrk; the bench says so when it uses it.
import { createServer } from 'node:http';

let requests = 0;
let lastNs = 0n;

createServer((req, res) => {
  if (req.url === '/__stats') {
    res.end(`${requests} ${lastNs}\n`);
    return;
  }
  requests++;
  // process.hrtime is CLOCK_MONOTONIC, like the bench's clock and backend.c's.
  lastNs = process.hrtime.bigint();
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
  res.end('ok');
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`listening on ${process.env.PORT}`));

process.on('SIGTERM', () => process.exit(0));
