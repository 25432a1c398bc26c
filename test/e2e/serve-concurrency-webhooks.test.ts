import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { signatureVerifies, startReceiver } from '../support/webhook-receiver.js';
import { endOf, makeServedProject, servedClient, TOKENS } from '../support/serve-project.js';
import { waitUntil } from '../support/wait-until.js';

const KEY = 'serve-webhook-key-0123456789';
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let project: Awaited<ReturnType<typeof makeServedProject>>;
before(async () => {
  receiver = await startReceiver();
  const notify = [{ url: receiver.url, events: ['DEPLOY_SUCCEEDED'], secret_env: 'SERVE_HOOK_KEY' }];
  project = await makeServedProject({ notify }, { SERVE_HOOK_KEY: KEY });
});
after(async () => {
  await project?.serve.stop();
  await project?.dispose();
  await receiver?.close();
});

// One deploy per environment inside the server too: two requests at once on one environment
// get one deploy and one E_LOCK_HELD, not two deploys of which the second took the first's lease.
// The one that ran is heard by the webhook while the server runs, not when it stops.
test('two deploys at once on one environment over HTTP: one runs, the other is 409 E_LOCK_HELD; its webhook arrives while serving', async () => {
  const client = servedClient(project);
  const events = await client.events();
  const [a, b] = await Promise.all([
    client.call('POST', '/api/deploys', TOKENS.deployer, client.deployBody('c1', '1.0.0')),
    client.call('POST', '/api/deploys', TOKENS.deployer, client.deployBody('c2', '2.0.0')),
  ]);
  const statuses = [a.status, b.status].sort();
  assert.deepEqual(statuses, [202, 409], JSON.stringify([a.body, b.body]));
  const refused = a.status === 409 ? a : b;
  const started = a.status === 202 ? a : b;
  assert.equal(refused.body.code, 'E_LOCK_HELD');
  assert.match(refused.body.message, /^environment production is (locked|being locked) by /);
  const id = started.body.deploy_id;
  const seen = await events.collect(endOf(id));
  events.close();
  assert.equal(seen.at(-1)!.event, 'DEPLOY_SUCCEEDED');
  await waitUntil(
    async () => receiver.received.some((h) => h.json.deploy_id === id),
    'the DEPLOY_SUCCEEDED webhook while cutover serve runs',
  );
  const hook = receiver.received.find((h) => h.json.deploy_id === id)!;
  assert.equal(hook.headers['x-cutover-event'], 'DEPLOY_SUCCEEDED');
  assert.ok(signatureVerifies(KEY, hook), 'signed with the key');
  const listed = await client.call('GET', '/api/deploys', TOKENS.viewer);
  assert.equal(listed.status, 200);
  assert.equal(JSON.stringify(listed.body).includes(KEY), false);
});

// A page of another site can POST to a loopback server; with --allow-anonymous it would need no
// token. The server refuses a change with another site's Origin, or with a body that is not JSON.
test('a change asked by another site, or with a body that is not JSON, is refused before anything runs', async () => {
  const url = `${project.serve.url}/api/deploys/0/abort`;
  const auth = { authorization: `Bearer ${TOKENS.deployer}` };
  const crossSite = await fetch(url, { method: 'POST', headers: { ...auth, origin: 'http://evil.example' } });
  assert.equal(crossSite.status, 403);
  assert.deepEqual(await crossSite.json(), {
    code: 'E_FORBIDDEN',
    message: 'refused: a request from another site (Origin http://evil.example)',
  });
  const plain = await fetch(url, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'text/plain' },
    body: '{"reason":"x"}',
  });
  assert.equal(plain.status, 400);
  assert.equal((await plain.json()).code, 'E_INVALID_INPUT');
  const sameSite = await fetch(url, { method: 'POST', headers: { ...auth, origin: project.serve.url } });
  // this server's own page gets through to the route: `0` is a prefix of the fast-track above
  const routed = await sameSite.json();
  assert.equal(sameSite.status, 409, JSON.stringify(routed));
  assert.match(routed.message, /^cannot abort deploy 0\S+: it is a fast-track deploy, not a canary$/);
});
