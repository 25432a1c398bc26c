import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { stopChild } from './stop-child.js';
import { waitUntil } from './wait-until.js';

export interface LoadBalancer {
  url: string;
  stop(): Promise<void>;
}

/**
 * HAProxy on a free loopback port, round robin over `servers` (`address:port`) with health
 * checks, as the load balancer users hit in front of a fleet: every request may land on another
 * host.
 */
export async function startLoadBalancer(dir: string, servers: string[]): Promise<LoadBalancer> {
  const port = await freePort();
  const config = join(dir, `haproxy-${port}.cfg`);
  writeFileSync(
    config,
    [
      'global',
      '  maxconn 2000',
      'defaults',
      '  mode http',
      '  timeout connect 5s',
      '  timeout client 60s',
      '  timeout server 60s',
      // a host that stops answering is taken out (checked every 200 ms) and a request whose
      // connection it refused is sent to another: what a load balancer in front of a fleet does
      '  retries 3',
      '  option redispatch 1',
      '  retry-on conn-failure empty-response',
      `frontend users`,
      `  bind 127.0.0.1:${port}`,
      '  default_backend hosts',
      'backend hosts',
      '  balance roundrobin',
      // through the host's router to the app: a host whose router serves no version yet (an
      // agent just set up, a restore under way) answers 503 and stays out
      '  option httpchk GET /health',
      '  http-check expect status 200',
      ...servers.map((s, i) => `  server h${i + 1} ${s} check inter 200ms fall 1 rise 2`),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('/usr/sbin/haproxy', ['-f', config, '-db'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}/`;
  await waitUntil(async () => {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${stderr}`);
    return fetch(url).then(
      () => true,
      () => false,
    );
  }, 'haproxy to listen');
  return { url, stop: () => stopChild(child) };
}
