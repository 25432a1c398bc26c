import { Agent, request } from 'node:http';

export interface TrafficReport {
  ok: number;
  failed: number;
  failures: string[];
  /** responses per `version` field of the JSON body */
  versions: Record<string, number>;
}

function get(
  url: string,
  agent: Agent,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A steady stream of keep-alive requests from `concurrency` loops until `stop()`; bounded so a
 * forgotten stop cannot run forever. Any non-2xx or connection error counts as a failure.
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
  const loop = async (i: number) => {
    let n = 0;
    while (running && Date.now() < deadline) {
      try {
        const { status, body } = await get(url, agent, { 'x-user-id': `user-${i}-${n++ % 50}` });
        if (status >= 200 && status < 300) {
          report.ok++;
          const version = String(JSON.parse(body).version);
          report.versions[version] = (report.versions[version] ?? 0) + 1;
        } else {
          report.failed++;
          if (report.failures.length < 10) report.failures.push(`${status} ${body.slice(0, 100)}`);
        }
      } catch (err) {
        report.failed++;
        if (report.failures.length < 10) report.failures.push(String(err));
      }
    }
  };
  const loops = Array.from({ length: concurrency }, (_, i) => loop(i));
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return report;
    },
  };
}
