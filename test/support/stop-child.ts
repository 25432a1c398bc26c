import type { ChildProcess } from 'node:child_process';

/**
 * Stops a server the harness started: `signal` (the server's own graceful or fast shutdown),
 * then SIGKILL if it is still there after `graceMs`. Resolves once it has exited.
 */
export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 5000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
