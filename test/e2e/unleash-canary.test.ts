import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { analysisWithMinRequests } from '../support/analysis-yaml.js';
import { resultOf, type CliRun } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { httpRequest } from '../support/runtime-http.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { startTraffic } from '../support/traffic.js';
import { skipUnlessUnleash, unleashPerFile, type RunningUnleash } from '../support/unleash.js';
import { startUnleashSdk, type UnleashSdk } from '../support/unleash-sdk.js';
import { waitUntil } from '../support/wait-until.js';

const unleash = unleashPerFile();
const USERS = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
const STRATEGY = 'mode: canary\ncanary: { steps: [5], observe: 3s }\n' + analysisWithMinRequests(20);

/** Every file under `dir`, as bytes read as latin1: a secret written anywhere shows up here. */
function everything(dir: string): string {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .map((path) => {
      const stat = statSync(path);
      if (stat.isDirectory()) return everything(path);
      return stat.isFile() ? readFileSync(path, 'latin1') : '';
    })
    .join('\n');
}

// Issue 16's acceptance with the built CLI: flags of production and staging live in Unleash.
describe('a canary whose flag lives in Unleash', { skip: skipUnlessUnleash() }, () => {
  let server: RunningUnleash;
  let sdk: UnleashSdk;
  let project: Awaited<ReturnType<typeof makeProject>>;
  const runs: CliRun[] = [];
  const cli = async (args: string[]) => {
    const run = await project.cli(args, { UNLEASH_TOKEN: server.adminToken });
    runs.push(run);
    return run;
  };
  const strategies = async () =>
    (
      await fetch(
        `${server.url}/api/admin/projects/default/features/ff-shop/environments/production/strategies`,
        {
          headers: { authorization: server.adminToken },
        },
      )
    ).text();

  before(async () => {
    server = await unleash();
    sdk = await startUnleashSdk(server);
    project = await makeProject();
    const path = join(project.dir, 'cutover.yaml');
    const config = parse(readFileSync(path, 'utf8')) as {
      environments: Record<string, Record<string, unknown>>;
    };
    const flags = { type: 'unleash', url: server.url, token_env: 'UNLEASH_TOKEN' };
    config.environments['production']!['flags'] = flags;
    config.environments['staging']!['flags'] = { ...flags, environment: 'development' };
    writeFileSync(path, stringify(config));
  });
  after(async () => {
    sdk?.destroy();
    await project?.dispose();
  });

  it('cutover flags create, set, get and list act on Unleash', async () => {
    assert.equal((await cli(['flags', 'create', 'ff-shop'])).code, 0);
    const set = await cli([
      'flags',
      'set',
      'ff-shop',
      '--env',
      'staging',
      '--state',
      'on',
      '--percentage',
      '25',
    ]);
    assert.equal(set.code, 0, set.stderr);
    const got = await cli(['flags', 'get', 'ff-shop', '--env', 'staging', '--output', 'json']);
    assert.deepEqual(JSON.parse(got.stdout), {
      name: 'ff-shop',
      environment: 'staging',
      state: 'on',
      percentage: 25,
    });
    const listed = JSON.parse((await cli(['flags', 'list', '--output', 'json'])).stdout) as unknown[];
    assert.deepEqual(listed, [
      {
        name: 'ff-shop',
        environments: {
          production: { state: 'off', percentage: 0 },
          staging: { state: 'on', percentage: 25 },
        },
      },
    ]);
    const again = await cli(['flags', 'create', 'ff-shop']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /flag "ff-shop" already exists/);
  });

  it('at 5 % Unleash shows the strategy at 5 % and the router canary users are the SDK ON users; rollbacks restore it byte for byte', async () => {
    const v1 = writeSampleChangeset(project.dir, 'v1', { version: '1.0.0' });
    const first = await cli(['deploy', '-c', v1, '--env', 'production', '--strategy', 'fast-track']);
    assert.equal(first.code, 0, first.stderr);
    const before = await strategies();
    const strategyFile = join(project.dir, 'canary.yaml');
    writeFileSync(strategyFile, STRATEGY);

    const traffic = startTraffic(project.url(), 8);
    const good = writeSampleChangeset(project.dir, 'good', { version: '1.1.0' });
    const run = await cli([
      'deploy',
      '-c',
      good,
      '--env',
      'production',
      '--strategy',
      strategyFile,
      '--output',
      'json',
    ]);
    await traffic.stop();
    assert.equal(run.code, 0, run.stderr);
    const during = JSON.parse(await strategies()) as Array<{
      parameters: Record<string, string>;
      disabled: boolean;
    }>;
    assert.deepEqual(
      during.filter((s) => !s.disabled).map((s) => s.parameters),
      [{ rollout: '5', stickiness: 'default', groupId: 'ff-shop' }],
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const routed: boolean[] = [];
    for (let i = 0; i < USERS.length; i += 50)
      routed.push(
        ...(await Promise.all(
          USERS.slice(i, i + 50).map(async (user) => {
            const reply = await httpRequest(project.url(), { agent, headers: { 'x-user-id': user } });
            return (JSON.parse(reply.body) as { version: string }).version === '1.1.0';
          }),
        )),
      );
    agent.destroy();
    const on = await sdk.seenOn('ff-shop', { state: 'on', percentage: 5 }, USERS);
    assert.deepEqual(
      USERS.filter((_, i) => routed[i]),
      USERS.filter((_, i) => on[i]),
    );
    assert.ok(routed.filter(Boolean).length > 40, `${routed.filter(Boolean).length} users on the canary`);

    const abort = await cli(['abort', resultOf(run).deploy_id as string]);
    assert.equal(abort.code, 1, abort.stderr + abort.stdout);
    assert.equal(await strategies(), before, 'the aborted canary left Unleash as it was');

    const badTraffic = startTraffic(project.url(), 8);
    const bad = writeSampleChangeset(project.dir, 'bad', { version: '1.2.0', broken: true });
    const failed = await cli([
      'deploy',
      '-c',
      bad,
      '--env',
      'production',
      '--strategy',
      strategyFile,
      '--output',
      'json',
    ]);
    await badTraffic.stop();
    assert.equal(failed.code, 1, failed.stderr);
    assert.equal(resultOf(failed).rollback.status, 'success');
    await waitUntil(async () => (await strategies()) === before, 'the strategies as they were');
    assert.equal(await strategies(), before, 'the rolled-back canary left Unleash byte for byte as it was');
  });

  it('the Unleash token is in no output and nowhere in the state dir', () => {
    const secret = server.adminToken.split('.')[1]!;
    for (const run of runs) assert.ok(!`${run.stdout}${run.stderr}`.includes(secret));
    assert.ok(!everything(project.stateDir).includes(secret));
  });
});
