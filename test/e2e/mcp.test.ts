import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { connectMcp, makeMcpProject, type McpSession } from '../support/mcp-session.js';
import { getJson } from '../support/project.js';
import { SEED_RESULT_FIELDS } from '../support/result-fields.js';
import { writeSampleChangeset } from '../support/sample-app.js';
import { NAMES, TOKENS } from '../support/serve-project.js';
import { waitUntil } from '../support/wait-until.js';

let project: Awaited<ReturnType<typeof makeMcpProject>>;
let dana: McpSession;
let vic: McpSession;
before(async () => {
  project = await makeMcpProject();
  dana = await connectMcp(project, TOKENS.deployer);
  vic = await connectMcp(project, TOKENS.viewer);
});
after(async () => {
  await dana?.close();
  await vic?.close();
  await project?.dispose();
});

const deployArgs = (name: string, version: string, strategy: unknown = 'fast-track') => ({
  changesets: [writeSampleChangeset(project.dir, name, { version })],
  strategy,
  environment: 'production',
});

/** Polls the status tool until the deploy is no longer running; its deploy_result. */
async function settled(session: McpSession, id: string): Promise<any> {
  let result: any;
  await waitUntil(async () => {
    const status = await session.call('status', { deploy_id: id });
    assert.equal(status.isError, false, status.text);
    result = status.doc.deploy_result;
    return result.state !== 'running';
  }, `deploy ${id} to settle`);
  return result;
}

test('without a known CUTOVER_TOKEN the server does not start: one line on stderr, exit 2', async () => {
  const env = { CUTOVER_STATE_DIR: project.stateDir };
  const run = (token: string) => runCli(['mcp'], { cwd: project.dir, env: { ...env, CUTOVER_TOKEN: token } });
  const [unset, unknown] = await Promise.all([run(''), run('guessed-token-42')]);
  assert.equal(unset.code, 2);
  assert.equal(unset.stdout, '');
  assert.match(unset.stderr, /^cutover: E_UNAUTHORIZED: CUTOVER_TOKEN is not set[^\n]*\n$/);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stdout, '');
  assert.match(
    unknown.stderr,
    /^cutover: E_UNAUTHORIZED: CUTOVER_TOKEN is not one of cutover.yaml tokens:[^\n]*\n$/,
  );
  assert.doesNotMatch(unknown.stderr, /guessed-token-42/);
});

test('tools/list: every verb, with input and output schemas from the service schemas', async () => {
  const { tools } = await dana.client.listTools();
  const byName = new Map(tools.map((t) => [t.name, t]));
  for (const name of ['plan', 'deploy', 'status', 'approve', 'reject', 'promote', 'abort', 'rollback', 'log'])
    assert.ok(byName.get(name)?.description, `tool ${name} with a description`);
  const deploy = byName.get('deploy')!;
  assert.deepEqual(deploy.inputSchema.required, ['changesets', 'strategy', 'environment']);
  assert.equal((deploy.inputSchema as any).additionalProperties, false);
  assert.deepEqual((deploy.inputSchema.properties as any).changesets.minItems, 1);
  assert.deepEqual(deploy.outputSchema?.required, ['deploy_id']);
  const rollback = byName.get('rollback')!;
  assert.deepEqual(rollback.inputSchema.required, ['deploy_id']);
  assert.deepEqual(Object.keys(rollback.inputSchema.properties!).sort(), ['deploy_id', 'force', 'reason']);
  const status = byName.get('status')!;
  const result = (status.outputSchema!.properties as any).deploy_result;
  assert.deepEqual(result.required.slice(0, SEED_RESULT_FIELDS.length), SEED_RESULT_FIELDS);
  assert.equal(byName.get('status')!.annotations?.readOnlyHint, true);
  assert.equal(byName.get('deploy')!.annotations?.readOnlyHint, false);
});

test('a viewer is refused a deploy; bad arguments are tool errors naming the field', async () => {
  const refused = await vic.call('deploy', deployArgs('viewer', '0.0.1'));
  assert.equal(refused.isError, true);
  assert.match(refused.text, /^E_FORBIDDEN: deploy needs the deployer role or above; vic is viewer$/);
  const strategy = await dana.call('deploy', { ...deployArgs('bad', '0.0.2'), strategy: 'yolo' });
  assert.equal(strategy.isError, true);
  assert.match(strategy.text, /^E_INVALID_INPUT: request body: strategy: /);
  const missing = await dana.call('deploy', { strategy: 'fast-track', environment: 'production' });
  assert.equal(missing.isError, true);
  assert.match(missing.text, /^E_INVALID_INPUT: request body: changesets: is required$/);
  const noId = await dana.call('rollback', { reason: 'oops' });
  assert.match(noId.text, /^E_INVALID_INPUT: request body: deploy_id: is required$/);
  const unknownDeploy = await vic.call('status', { deploy_id: '0000dead' });
  assert.match(unknownDeploy.text, /^E_NOT_FOUND: /);
});

test('a fast-track deploy to success, then a rollback: the previous version serves, the journal says who asked', async () => {
  const plan = await dana.call('plan', deployArgs('v1', '1.0.0'));
  assert.equal(plan.isError, false, plan.text);
  assert.ok(plan.doc.plan, plan.text);
  const first = await dana.call('deploy', deployArgs('v1', '1.0.0'));
  assert.equal(first.isError, false, first.text);
  assert.equal((await settled(vic, first.doc.deploy_id)).state, 'success');
  const second = await dana.call('deploy', deployArgs('v2', '2.0.0'));
  const v2 = second.doc.deploy_id as string;
  const shipped = await settled(vic, v2);
  assert.equal(shipped.status, 'success');
  assert.deepEqual(shipped.flag_status, { name: 'ff-shop', state: 'on', percentage: 100 });
  assert.equal((await getJson(project.url())).body.version, '2.0.0');

  assert.equal((await vic.call('rollback', { deploy_id: v2 })).text.split(':')[0], 'E_FORBIDDEN');
  const rolled = await dana.call('rollback', { deploy_id: v2, reason: 'agent saw errors' });
  assert.equal(rolled.isError, false, rolled.text);
  assert.equal(rolled.doc.deploy_result.state, 'rolled_back');
  assert.equal((await getJson(project.url())).body.version, '1.0.0', 'the previous version serves again');

  const log = await vic.call('log', { deploy_id: v2.slice(0, 13) });
  const events = log.doc.rows.map((r: any) => r.event);
  assert.equal(events[0].type, 'DEPLOY_REQUESTED');
  assert.equal(events[0].requested_by, NAMES.deployer);
  const asked = events.find((e: any) => e.type === 'ROLLBACK_REQUESTED');
  assert.deepEqual([asked.by, asked.reason], [NAMES.deployer, 'agent saw errors']);
  assert.deepEqual(dana.protocolErrors, [], 'nothing but the protocol on stdout');
});

test('the token reaches no output, journal file or child environment', async () => {
  const runtime = await project.cli(['runtime', 'status']);
  // the runtime daemon the deploys started, its router processes and the app it runs
  const pids = [...runtime.stdout.matchAll(/^\s*(?:- |pid: )(\d+)$/gm)].map((m) => m[1]);
  assert.ok(pids.length >= 3, runtime.stdout);
  for (const pid of pids)
    assert.doesNotMatch(readFileSync(`/proc/${pid}/environ`, 'latin1'), /CUTOVER_TOKEN|token-0123/, pid);
  for (const file of readdirSync(project.stateDir).filter((f) => f.endsWith('.db')))
    assert.ok(!readFileSync(join(project.stateDir, file)).includes(TOKENS.deployer), file);
  assert.ok(!dana.stderr().includes(TOKENS.deployer));
  assert.match(dana.stderr(), /cutover mcp: serving dana \(deployer\) over stdio/);
});

test('four eyes: whoever started a manual deploy cannot approve it; another approver can decide', async () => {
  const [alice, root] = await Promise.all([
    connectMcp(project, TOKENS.approver),
    connectMcp(project, TOKENS.admin),
  ]);
  try {
    const started = await alice.call('deploy', deployArgs('v3', '3.0.0', 'manual'));
    assert.equal(started.isError, false, started.text);
    const id = started.doc.deploy_id as string;
    assert.equal((await settled(alice, id)).state, 'awaiting_approval');
    const self = await alice.call('approve', { deploy_id: id });
    assert.equal(self.isError, true);
    assert.match(self.text, /^E_SELF_APPROVAL: /);
    assert.match(
      (await dana.call('approve', { deploy_id: id })).text,
      /^E_FORBIDDEN: approve needs the approver role/,
    );
    const rejected = await root.call('reject', { deploy_id: id });
    assert.deepEqual(rejected.doc, { deploy_id: id, state: 'rejected' });
    const after = await vic.call('status', { deploy_id: id });
    assert.equal(after.doc.deploy_result.state, 'rejected');
  } finally {
    await alice.close();
    await root.close();
  }
});
