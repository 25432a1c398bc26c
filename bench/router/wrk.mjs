// wrk with a Lua script that sends each request as a user drawn from a pool, so a sticky split is
// a real split, and that prints its totals as one JSON line (no parsing of wrk's human output).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const USERS = 10_000;

// The requests are formatted once in init(): wrk is the bottleneck of the direct run, and
// building a request per call would cost it the same on every target but lower every figure.
const SCRIPT = `
local requests = {}
function init(args)
  for i = 1, ${USERS} do
    requests[i] = wrk.format(nil, nil, { ["x-user-id"] = "user-" .. i })
  end
end
function request()
  return requests[math.random(${USERS})]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n{"requests":%d,"duration_us":%d,"p50_us":%.0f,"p99_us":%.0f,' ..
    '"socket_errors":%d,"timeouts":%d,"non_2xx":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write, e.timeout, e.status))
end
`;

/** Writes the Lua script into `dir` and returns its path. */
export function writeWrkScript(dir) {
  const path = join(dir, 'users.lua');
  writeFileSync(path, SCRIPT);
  return path;
}

/**
 * Runs wrk against `url`; resolves to `{rps, p50Us, p99Us, requests, failed}`.
 * `track(child)` lets the caller kill it on Ctrl-C.
 */
export function runWrk(url, script, { threads, connections, seconds }, track = () => undefined) {
  const argv = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"requests"'));
      if (code !== 0 || !line) return reject(new Error(`wrk exited ${code}: ${out}`));
      const r = JSON.parse(line);
      resolve({
        rps: r.requests / (r.duration_us / 1e6),
        p50Us: r.p50_us,
        p99Us: r.p99_us,
        requests: r.requests,
        failed: r.socket_errors + r.timeouts + r.non_2xx,
      });
    });
  });
}
