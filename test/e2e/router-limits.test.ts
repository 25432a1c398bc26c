import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { makeProject } from '../support/project.js';
import { exchangeRaw, statusesOf } from '../support/raw-http.js';
import { writeSampleChangeset } from '../support/sample-app.js';

// The daemon and two router processes accept on the port: limits must reach all three.
const THREE = { CUTOVER_ROUTER_PROCESSES: '3' };
const MAX_CONNECTIONS = 30;

let project: Awaited<ReturnType<typeof makeProject>>;
before(async () => {
  project = await makeProject();
  const file = join(project.dir, 'cutover.yaml');
  const config = parse(readFileSync(file, 'utf8'));
  config.environments.production.target.router = {
    header_timeout: '1s',
    body_idle_timeout: '1s',
    max_connections: MAX_CONNECTIONS,
  };
  writeFileSync(file, stringify(config));
  assert.equal((await project.cli(['flags', 'create', 'ff-shop'])).code, 0);
  const changeset = writeSampleChangeset(project.dir, 'v1', { version: '1.0.0' });
  const run = await project.cli(
    ['deploy', '-c', changeset, '--env', 'production', '--strategy', 'fast-track'],
    THREE,
  );
  assert.equal(run.code, 0, run.stderr);
});
after(() => project.dispose());

async function production(): Promise<{ limits: Record<string, number>; front: Record<string, number> }> {
  const run = await project.cli(['runtime', 'status', '--output', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const status = JSON.parse(run.stdout) as { environments: Array<{ environment: string }> };
  return status.environments.find((e) => e.environment === 'production') as never;
}

/** Sends `head` one byte every 150 ms on a new connection; resolves with what came back. */
function slowHead(head: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(Number(new URL(project.url()).port), '127.0.0.1');
    let text = '';
    let i = 0;
    const timer = setInterval(() => i < head.length && socket.write(head[i++] as string), 150);
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve(text);
    });
  });
}

test("cutover.yaml's router limits reach the daemon and every router process", async () => {
  const env = await production();
  assert.deepEqual(env.limits, { header_timeout_ms: 1000, body_idle_timeout_ms: 1000, max_connections: 30 });
  // Heads that never finish, on six connections the kernel spreads over the three processes.
  const answers = await Promise.all(
    Array.from({ length: 6 }, () => slowHead('GET / HTTP/1.1\r\nHost: shop\r\nX-Slow: 0123456789')),
  );
  for (const answer of answers) assert.deepEqual(statusesOf(answer), [408], answer);
  assert.equal((await production()).front.header_timeouts, 6);
});

test('the connection cap holds across the processes; the refused get 503 and are counted', async () => {
  const port = Number(new URL(project.url()).port);
  const held: Socket[] = [];
  const texts: string[] = [];
  try {
    for (let i = 0; i < MAX_CONNECTIONS + 20; i++) {
      const socket = connect(port, '127.0.0.1');
      const index = texts.push('') - 1;
      held.push(socket);
      socket.on('data', (d: Buffer) => (texts[index] += d.toString('latin1')));
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('connect', resolve));
    }
    // A refusal is answered at once, but on a busy machine "at once" can take a while.
    const refused = (): number => texts.filter((t) => /^HTTP\/1\.1 503/.test(t)).length;
    let counted = (await production()).front.over_capacity;
    for (let i = 0; i < 50 && refused() !== counted; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      counted = (await production()).front.over_capacity;
    }
    // Each of the 3 processes takes ceil(30 / 3) = 10: at least 20 of the 50 must have been refused.
    assert.ok(refused() >= 20, `${refused()} refused`);
    assert.equal(counted, refused());
  } finally {
    for (const socket of held) socket.destroy();
  }
  // Once they are gone, requests get through again.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const answer = await exchangeRaw(port, 'GET / HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n');
  assert.deepEqual(statusesOf(answer), [200], answer);
});
