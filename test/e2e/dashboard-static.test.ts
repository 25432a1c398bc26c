import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeServedProject, servedClient } from '../support/serve-project.js';

// The dashboard's files as any client gets them (no browser needed): served without a token, with
// headers that keep the page to itself, and nothing but those files outside /api.
let project: Awaited<ReturnType<typeof makeServedProject>>;
before(async () => {
  project = await makeServedProject();
});
after(async () => {
  await project.serve.stop();
  await project.dispose();
});

test('the page is served without a token, with a CSP that allows only itself; nothing else is', async () => {
  const page = await fetch(`${project.serve.url}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<title>cutover<\/title>/);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'/);
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  const script = await fetch(`${project.serve.url}/ui/main.js`);
  assert.equal(script.status, 200);
  assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
  for (const path of ['/ui/..%2Fpackage.json', '/ui/nothing.js', '/ui/main.ts', '/index.html'])
    assert.equal((await fetch(`${project.serve.url}${path}`)).status, 404, path);
  const whoami = await servedClient(project).call('GET', '/api/whoami');
  assert.equal(whoami.status, 401, 'the API still needs a token');
});
