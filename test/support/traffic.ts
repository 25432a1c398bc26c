import { Agent } from 'node:http';
import { httpRequest } from './runtime-http.js';

export interface TrafficReport {
  ok: number;
  failed: number;
  failures: string[];
  /** successful responses per `version` field of the JSON body */
  versions: Record<string, number>;
}

/**
 * `concurrency` loops of keep-alive GETs, each with user ids of its own, until `stop()` (or
 * `maxMs`, so a forgotten stop cannot run forever). Any non-2xx or connection error counts as a
 * failure; the first ten are kept.
 */
export function startTraffic(
  url: string,
  concurrency = 8,
  maxMs = 120_000,
): { stop(): Promise<TrafficReport> } {
  const report: TrafficReport = { ok: 0, failed: 0, failures: [], versions: {} };
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const deadline = Date.now() + maxMs;
  let running = true;
  const fail = (why: string): void => {
    report.failed++;
    if (report.failures.length < 10) report.failures.push(why);
  };
  const loop = async (worker: number): Promise<void> => {
    for (let n = 0; running && Date.now() < deadline; n++) {
      try {
        const reply = await httpRequest(url, { agent, headers: { 'x-user-id': `user-${worker}-${n % 50}` } });
        if (reply.status < 200 || reply.status >= 300) {
          fail(`${reply.status} ${reply.body.slice(0, 100)}`);
          continue;
        }
        report.ok++;
        const version = String((JSON.parse(reply.body) as { version: unknown }).version);
        report.versions[version] = (report.versions[version] ?? 0) + 1;
      } catch (err) {
        fail(String(err));
      }
    }
  };
  const loops = Array.from({ length: concurrency }, (_, worker) => loop(worker));
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return report;
    },
  };
}
