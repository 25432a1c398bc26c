import { request } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessExit } from './version-process.js';

export type HealthOutcome =
  | { kind: 'healthy' }
  | { kind: 'timeout'; last: string }
  | { kind: 'exited'; exit: ProcessExit }
  | { kind: 'aborted' };

// Probes come every 20 ms for the first 2 s, when most versions get healthy (a start's wait for
// traffic is what APPLY waits for: bench/apply.mjs), then every 100 ms.
const FIRST_INTERVAL_MS = 20;
const FIRST_PHASE_MS = 2000;
const INTERVAL_MS = 100;
const PROBE_TIMEOUT_MS = 2000;

/**
 * Polls `GET http://127.0.0.1:<port><path>` until it answers 200, the process exits, `timeoutMs`
 * passes or `signal` is aborted (at once, even mid-probe). `last` describes the last answer
 * (status or connection error) for the report. Throws when `path` cannot be sent at all.
 */
export async function waitUntilHealthy(
  port: number,
  path: string,
  timeoutMs: number,
  exited: Promise<ProcessExit>,
  signal: AbortSignal,
): Promise<HealthOutcome> {
  const deadline = Date.now() + timeoutMs;
  const firstPhaseEnd = Date.now() + FIRST_PHASE_MS;
  let exit: ProcessExit | null = null;
  void exited.then((e) => {
    exit = e;
  });
  let last = 'no answer yet';
  for (;;) {
    if (signal.aborted) return { kind: 'aborted' };
    if (exit) return { kind: 'exited', exit };
    const remaining = deadline - Date.now();
    if (remaining <= 0) return { kind: 'timeout', last };
    const started = Date.now();
    const probe = await probeOnce(port, path, Math.min(remaining, PROBE_TIMEOUT_MS), signal);
    if (signal.aborted) return { kind: 'aborted' };
    if (probe.answer === 'status 200') return { kind: 'healthy' };
    // A probe cut short by the deadline says less than the answer before it.
    if (!probe.timedOut || remaining >= PROBE_TIMEOUT_MS || last === 'no answer yet') last = probe.answer;
    const interval = started < firstPhaseEnd ? FIRST_INTERVAL_MS : INTERVAL_MS;
    const pause = Math.min(interval - (Date.now() - started), deadline - Date.now());
    if (pause > 0) await sleep(pause, undefined, { signal }).catch(() => undefined);
  }
}

function probeOnce(
  port: number,
  path: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ answer: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      method: 'GET',
      agent: false,
      timeout: timeoutMs,
      signal,
    });
    req.once('response', (res) => {
      // An abort while the body still streams must not become an unhandled 'error'.
      res.once('error', () => undefined);
      res.resume();
      resolve({ answer: `status ${res.statusCode ?? 0}`, timedOut: false });
    });
    req.once('timeout', () => {
      resolve({ answer: `no answer within ${timeoutMs} ms`, timedOut: true });
      req.destroy();
    });
    req.once('error', (err: NodeJS.ErrnoException) =>
      resolve({ answer: `error ${err.code ?? err.message}`, timedOut: false }),
    );
    req.end();
  });
}

/**
 * Asks the kernel for a free loopback port by binding port 0 and releasing it. Another process
 * could take it before the version binds it; the health check then fails and names the cause.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
