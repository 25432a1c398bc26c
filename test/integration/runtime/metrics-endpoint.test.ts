import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { LATENCY_BOUNDS_SECONDS } from '../../../src/runtime/http/request-totals.js';
import { freePort } from '../../support/ports.js';
import { buildTestApp } from '../../support/runtime-apps.js';
import { routerUrl, startTestRuntime, type TestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';
import { waitUntil } from '../../support/wait-until.js';

/** The value of the one sample line whose name and labels are exactly these. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (
      m[2]!
        .split(/,(?=[a-z_]+=")/)
        .sort()
        .join(',') === wanted
    )
      return Number(m[3]);
  }
  return undefined;
}

// The runtime's /metrics: counted by the router processes (the daemon and the one beside it
// on a 2-core machine), summed per version, in Prometheus's text format via prom-client.
describe('the runtime serves /metrics where runtime.metrics_listen says', () => {
  let runtime: TestRuntime;
  let stable: string;
  let canary: string;
  let listen: string;
  const agent = new Agent({ keepAlive: false });

  before(async () => {
    runtime = await startTestRuntime();
    const images = await Promise.all(['1.0.0', '2.0.0'].map((v) => buildTestApp(runtime.dir, v)));
    await runtime.client.putEnvironment('production', { port: 0 });
    for (const image of images)
      await runtime.client.startVersion('production', { ...image, healthTimeoutMs: 15_000 });
    [stable, canary] = images.map((i) => i.release.digest) as [string, string];
    await runtime.client.setWeights('production', { [stable]: 100 });
    const base = await routerUrl(runtime.client, 'production');
    // new connections each: the kernel spreads them over both router processes
    const paths = [...Array<string>(30).fill('/'), ...Array<string>(6).fill('/fail'), '/slow?ms=300'];
    await Promise.all(paths.map((p) => httpRequest(`${base}${p}`, { agent })));
    listen = `127.0.0.1:${await freePort()}`;
  });
  after(() => runtime?.dispose());

  it('is off until asked; then per version: requests by status class, a latency histogram, in flight, CPU', async () => {
    await assert.rejects(fetch(`http://${listen}/metrics`));
    assert.deepEqual(await runtime.client.setMetricsListen(listen), { listen });
    assert.deepEqual(
      await runtime.client.setMetricsListen(listen),
      { listen },
      'asking again changes nothing',
    );
    const reply = await fetch(`http://${listen}/metrics`);
    assert.equal(reply.status, 200);
    assert.match(reply.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await reply.text();
    const of = (version: string, more: Record<string, string> = {}) => ({
      environment: 'production',
      version,
      ...more,
    });
    assert.equal(sample(text, 'cutover_http_requests_total', of(stable, { code: '2xx' })), 31);
    assert.equal(sample(text, 'cutover_http_requests_total', of(stable, { code: '5xx' })), 6);
    assert.equal(
      sample(text, 'cutover_http_requests_total', of(canary, { code: '5xx' })),
      0,
      'a 5xx series from the start',
    );
    assert.equal(sample(text, 'cutover_http_request_duration_seconds_count', of(stable)), 37);
    assert.equal(
      sample(text, 'cutover_http_request_duration_seconds_bucket', of(stable, { le: '+Inf' })),
      37,
    );
    const under = LATENCY_BOUNDS_SECONDS.filter((b) => b < 0.3).at(-1)!;
    assert.equal(
      sample(text, 'cutover_http_request_duration_seconds_bucket', of(stable, { le: String(under) })),
      36,
      'the slow one is above 0.3 s',
    );
    assert.ok(sample(text, 'cutover_http_request_duration_seconds_sum', of(stable))! >= 0.3);
    assert.equal(sample(text, 'cutover_http_requests_in_flight', of(stable)), 0);
    // CPU is sampled once a second: a version's series appears with its first sample
    let cpu: number | undefined;
    await waitUntil(async () => {
      const again = await (await fetch(`http://${listen}/metrics`)).text();
      cpu = sample(again, 'cutover_version_cpu_seconds_total', of(stable));
      return cpu !== undefined;
    }, 'the first CPU sample');
    assert.ok(cpu! >= 0);
    assert.equal(sample(text, 'cutover_version_info', of(stable, { tag: '1.0.0-1234567-20250101' })), 1);
    assert.match(text, /^cutover_daemon_process_cpu_user_seconds_total \S+$/m);
    assert.equal((await fetch(`http://${listen}/other`)).status, 404);
  });

  it('counts deploys by result, rollbacks and their time to restore; null stops serving', async () => {
    await runtime.client.setMetricsListen(listen);
    await runtime.client.recordDeploy({ environment: 'production', result: 'success' });
    await runtime.client.recordDeploy({
      environment: 'production',
      result: 'rolled_back',
      restore_seconds: 12,
    });
    await assert.rejects(runtime.client.recordDeploy({ environment: 'production', result: 'maybe' }), {
      code: 'E_INVALID_INPUT',
    });
    const text = await (await fetch(`http://${listen}/metrics`)).text();
    assert.equal(sample(text, 'cutover_deploys_total', { environment: 'production', result: 'success' }), 1);
    assert.equal(
      sample(text, 'cutover_deploys_total', { environment: 'production', result: 'rolled_back' }),
      1,
    );
    assert.equal(sample(text, 'cutover_rollbacks_total', { environment: 'production' }), 1);
    assert.equal(sample(text, 'cutover_time_to_restore_seconds_sum', { environment: 'production' }), 12);
    assert.deepEqual(await runtime.client.setMetricsListen(null), { listen: null });
    await assert.rejects(fetch(`http://${listen}/metrics`));
  });
});
