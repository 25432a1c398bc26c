import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDaemon, stopDaemon, type RuntimeClient } from '../../src/runtime/client/daemon-control.js';

export interface TestRuntime {
  /** temp dir holding the state dir (`<dir>/state`) and anything else the test writes */
  dir: string;
  stateDir: string;
  client: RuntimeClient;
  /** stops the daemon (and with it every version process) and removes the temp dir */
  dispose(): Promise<void>;
}

/** A runtime daemon of its own, in a fresh temp state dir. */
export async function startTestRuntime(): Promise<TestRuntime> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-'));
  const stateDir = join(dir, 'state');
  const client = await ensureDaemon(stateDir);
  return {
    dir,
    stateDir,
    client,
    dispose: async () => {
      await stopDaemon(stateDir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Base URL of an environment's router. */
export async function routerUrl(client: RuntimeClient, environment: string): Promise<string> {
  const view = await client.getEnvironment(environment);
  return `http://127.0.0.1:${view.port}`;
}

/**
 * A free loopback port below the kernel's ephemeral range. A router that must come back on the
 * same port after a daemon restart gets one of these: an ephemeral port may meanwhile be the
 * local end of some other test's connection.
 */
export async function findRestartablePort(): Promise<number> {
  const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
    .trim()
    .split(/\s+/)
    .map(Number);
  const ceiling = Math.min(low ?? 32768, 32768);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * (ceiling - 20000));
    if (await canListen(port)) return port;
  }
  throw new Error('no free port below the ephemeral range');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
