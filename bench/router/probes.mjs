// What the bench reads from the processes it measures: each backend's request count and the
// time of its last request, and a process's CPU time (to get the router's CPU per request).
import { readFileSync } from 'node:fs';
import { request } from 'node:http';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux (getconf CLK_TCK)

/** `{requests, lastNs}` of a bench backend; lastNs is CLOCK_MONOTONIC, like process.hrtime. */
export function readBackendStats(port) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/__stats', agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        const [requests, lastNs] = body.trim().split(' ');
        resolve({ requests: Number(requests), lastNs: BigInt(lastNs) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** User + system CPU seconds the process has used so far (0 when it is gone). */
export function readCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds this process and the children it has reaped (each finished wrk) have used. */
export function readOwnCpuSeconds() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (
    (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND
  );
}

/**
 * CPU seconds since boot, all cores: `busy` in processes, `steal` the host took for other
 * machines (a noisy neighbour, not us). Interrupt time is left out: it is mostly loopback TCP of
 * the bench's own traffic, which /proc/<pid>/stat charges to no process.
 */
export function readMachineCpuSeconds() {
  const [user, nice, system, , , , , steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { busy: (user + nice + system) / TICKS_PER_SECOND, steal: steal / TICKS_PER_SECOND };
}

/** Milliseconds between two process.hrtime.bigint() readings (negative: `b` came first). */
export function msBetween(a, b) {
  return Number(b - a) / 1e6;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
