import { Agent } from 'node:http';
import { httpRequest } from './runtime-http.js';

export interface LoadReport {
  ok: number;
  failed: number;
  failures: string[];
  /** successful responses per `version` of the JSON body */
  versions: Record<string, number>;
}

/**
 * `concurrency` loops of keep-alive GETs, each with its own user id, until `stop()` (or
 * `maxMs`, so a forgotten stop cannot run forever). Anything but a 2xx is a failure.
 */
export function startLoad(url: string, concurrency = 16, maxMs = 120_000): { stop(): Promise<LoadReport> } {
  const report: LoadReport = { ok: 0, failed: 0, failures: [], versions: {} };
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const deadline = Date.now() + maxMs;
  let running = true;
  const loop = async (worker: number): Promise<void> => {
    for (let n = 0; running && Date.now() < deadline; n++) {
      try {
        const reply = await httpRequest(url, { agent, headers: { 'x-user-id': `user-${worker}-${n % 64}` } });
        if (reply.status >= 200 && reply.status < 300) {
          report.ok++;
          const version = String((JSON.parse(reply.body) as { version: unknown }).version);
          report.versions[version] = (report.versions[version] ?? 0) + 1;
          continue;
        }
        fail(report, `${reply.status} ${reply.body.slice(0, 120)}`);
      } catch (err) {
        fail(report, String(err));
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

function fail(report: LoadReport, why: string): void {
  report.failed++;
  if (report.failures.length < 10) report.failures.push(why);
}
