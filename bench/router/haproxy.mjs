// The peer: Debian's HAProxy doing the same sticky 95/5 split (consistent hash of x-user-id),
// with its weights changed over the runtime API, as RECIPES.md describes.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { onCleanup, trackChild } from './cleanup.mjs';
import { sleep } from './probes.mjs';

const HAPROXY = '/usr/sbin/haproxy';

export function haproxyInstalled() {
  return existsSync(HAPROXY);
}

function writeConfig(dir, port, stablePort, canaryPort) {
  const socket = join(dir, 'haproxy.sock');
  const path = join(dir, 'haproxy.cfg');
  // Threads and tuning are left at Debian's defaults: the figure is what an operator gets.
  writeFileSync(
    path,
    `global
  maxconn 4096
  stats socket ${socket} level admin
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend bench
  bind 127.0.0.1:${port}
  http-request set-var(txn.uid) req.hdr(x-user-id)
  default_backend versions
backend versions
  balance hash var(txn.uid)
  hash-type consistent
  server stable 127.0.0.1:${stablePort} weight 95
  server canary 127.0.0.1:${canaryPort} weight 5
`,
  );
  return { path, socket };
}

/** Sends one runtime API command; resolves to HAProxy's answer once it closed the socket. */
export function haproxyCommand(socket, command) {
  return new Promise((resolve, reject) => {
    let answer = '';
    const conn = connect(socket, () => conn.end(`${command}\n`));
    conn.on('data', (d) => (answer += d));
    conn.on('error', reject);
    conn.on('close', () => resolve(answer.trim()));
  });
}

/** Starts HAProxy in the foreground on `port`; resolves once its runtime API answers. */
export async function startHaproxy(dir, port, stablePort, canaryPort) {
  const config = writeConfig(dir, port, stablePort, canaryPort);
  execFileSync(HAPROXY, ['-c', '-q', '-f', config.path]);
  const child = spawn(HAPROXY, ['-db', '-f', config.path], { stdio: ['ignore', 'ignore', 'pipe'] });
  trackChild(child);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  onCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(child.pid, 'SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`haproxy exited ${child.exitCode}: ${stderr}`);
    const info = await haproxyCommand(config.socket, 'show info').catch(() => '');
    if (info.includes('Nbthread')) {
      const threads = /Nbthread: (\d+)/.exec(info)[1];
      const setWeight = (server, weight) =>
        haproxyCommand(config.socket, `set weight versions/${server} ${weight}`);
      return { pid: child.pid, threads, setWeight };
    }
    await sleep(50);
  }
  throw new Error(`haproxy did not answer on ${config.socket}: ${stderr}`);
}
