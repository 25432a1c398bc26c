import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { resultOf, type CliRun } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { waitUntil } from '../support/wait-until.js';
import { signatureVerifies, startReceiver } from '../support/webhook-receiver.js';

const SECRET = 'whsec-e2e-5f1c0a9e7b3d4c2a';
const env = { HOOK_SECRET: SECRET };
let project: Awaited<ReturnType<typeof makeProject>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const runs: CliRun[] = [];
let released = false;

function writeConfig(notify: unknown[]): void {
  const { production, staging } = project.ports;
  const environments = {
    production: { target: { type: 'local', port: production } },
    staging: { target: { type: 'local', port: staging } },
  };
  writeFileSync(join(project.dir, 'cutover.yaml'), stringify({ environments, notify }));
}

async function cli(args: string[], more: NodeJS.ProcessEnv = env): Promise<CliRun> {
  const run = await project.cli(args, more);
  runs.push(run);
  return run;
}

async function notifications(): Promise<any> {
  const run = await cli(['notifications', '--output', 'json']);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout).notifications;
}

before(async () => {
  project = await makeProject();
  // Held open until the test releases it; a retry after that (a slow machine may let the held
  // attempt time out first) is answered at once.
  receiver = await startReceiver(() => (released ? 200 : 'hang'));
  writeConfig([
    { url: receiver.url, events: ['DEPLOY_FAILED', 'AWAITING_APPROVAL'], secret_env: 'HOOK_SECRET' },
  ]);
  assert.equal((await cli(['flags', 'create', 'ff-shop'])).code, 0);
});
after(async () => {
  receiver.release(200);
  await receiver.close();
  await project.dispose();
});

test('a receiver holding the webhook open does not hold the deploy: it exits with its result, the delivery completes later', async () => {
  const changeset = writeSampleChangeset(project.dir, 'dod8', { version: '1.1.0', dodDone: 8 });
  const deploy = await cli([
    'deploy',
    '-c',
    changeset,
    '--env',
    'production',
    '--strategy',
    'fast-track',
    '--output',
    'json',
  ]);
  assert.equal(deploy.code, 1, deploy.stderr);
  const result = resultOf(deploy);
  assert.equal(result.failed_step, 'PREFLIGHT');

  // The deploy has exited; its webhook arrives (from the background flush) and is held open.
  await waitUntil(() => receiver.received.length >= 1, 'the DEPLOY_FAILED webhook');
  const hook = receiver.received[0]!;
  assert.equal(hook.answered, undefined, 'still held open by the receiver');
  assert.equal(hook.headers['x-cutover-event'], 'DEPLOY_FAILED');
  assert.ok(signatureVerifies(SECRET, hook));
  assert.equal(hook.json.deploy_id, result.deploy_id);
  assert.match(
    hook.json.text,
    /^cutover: deploy \S+ \(shop 1\.1\.0-\S+\) to production FAILED at PREFLIGHT: DoD incomplete \(8\/9\)/,
  );
  const pending = await notifications();
  assert.ok(
    pending.deliveries.every((d: { outcome: string }) => d.outcome === 'pending'),
    'not delivered while held',
  );
  assert.ok(pending.targets[0].holder, 'the flush holds the lease meanwhile');

  released = true;
  receiver.release(200);
  await waitUntil(
    async () => (await notifications()).deliveries[0]?.outcome === 'delivered',
    'delivery recorded',
  );
  const done = await notifications();
  assert.equal(done.deliveries.length, 1);
  assert.equal(done.deliveries[0].delivery_id, hook.headers['x-cutover-delivery']);
  assert.equal(done.deliveries[0].attempts.at(-1).status, 200);
  await waitUntil(async () => (await notifications()).targets[0].holder === null, 'the flush to end');
  for (const h of receiver.received) {
    // PREFLIGHT_FAILED and the rest are not subscribed: only (retries of) the one delivery came
    assert.equal(h.headers['x-cutover-event'], 'DEPLOY_FAILED');
    assert.equal(h.headers['x-cutover-delivery'], hook.headers['x-cutover-delivery']);
  }

  const text = await cli(['notifications', '--deploy', result.deploy_id.slice(0, 13)]);
  assert.match(
    text.stdout,
    new RegExp(
      `delivered DEPLOY_FAILED deploy ${result.deploy_id} → ${receiver.url} \\(\\d attempts?; last HTTP 200`,
    ),
  );
});

test('the HMAC key is in no output, journal or state file', async () => {
  for (const run of runs) assert.ok(!`${run.stdout}${run.stderr}`.includes(SECRET), 'not in any output');
  for (const name of readdirSync(project.stateDir, { recursive: true }) as string[]) {
    const path = join(project.stateDir, name);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      continue; // a directory, or a socket
    }
    assert.equal(bytes.indexOf(SECRET), -1, `not in ${name}`);
  }
});

test('a missing key is a configuration error before anything is journaled', async () => {
  const changeset = writeSampleChangeset(project.dir, 'nokey', { version: '1.2.0' });
  const before = (await cli(['status', '--output', 'json'])).stdout;
  const run = await cli(['deploy', '-c', changeset, '--env', 'production', '--strategy', 'fast-track'], {});
  assert.equal(run.code, 2);
  assert.equal(
    run.stderr,
    `cutover: E_USAGE: cutover.yaml: notify[0].secret_env: HOOK_SECRET is not set: it must hold the key that signs the webhooks to ${receiver.url}\n`,
  );
  assert.equal((await cli(['status', '--output', 'json'])).stdout, before);
});

test('an event name that is not a journal event is refused with its path', async () => {
  writeConfig([{ url: receiver.url, events: ['DEPLOY_FAILED', 'DEPLOY_FAILD'], secret_env: 'HOOK_SECRET' }]);
  const run = await cli(['status']);
  assert.equal(run.code, 2);
  assert.match(
    run.stderr,
    /cutover\.yaml:\d+: notify\[0\]\.events\[1\]: unknown event "DEPLOY_FAILD": must be a journal event type/,
  );
  assert.doesNotMatch(run.stderr, /\n\s+at /);
});
