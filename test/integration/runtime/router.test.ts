import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { bucketOf } from '../../../src/core/bucketing.js';
import { Backend } from '../../../src/runtime/http/backend.js';
import { Router } from '../../../src/runtime/http/router.js';
import { buildRoutingTable } from '../../../src/runtime/http/routing-table.js';
import { httpRequest, startInProcessBackend, type InProcessBackend } from '../../support/runtime-http.js';

describe('router with in-process backends', () => {
  const router = new Router('production');
  let stable: InProcessBackend;
  let canary: InProcessBackend;
  let stableBackend: Backend;
  let canaryBackend: Backend;
  let base = '';

  before(async () => {
    stable = await startInProcessBackend('stable');
    canary = await startInProcessBackend('canary');
    stableBackend = new Backend('sha256:stable', stable.port);
    canaryBackend = new Backend('sha256:canary', canary.port);
    await router.listen(0);
    base = `http://127.0.0.1:${router.port}`;
  });

  after(async () => {
    await router.close();
    stableBackend.dispose();
    canaryBackend.dispose();
    await stable.close();
    await canary.close();
  });

  const split = (canaryWeight: number) =>
    router.setTable(
      buildRoutingTable('x-user-id', 'ff-142', [
        { backend: canaryBackend, weight: canaryWeight, healthy: true },
        { backend: stableBackend, weight: 100 - canaryWeight, healthy: true },
      ]),
    );

  test('answers 503 with a JSON body when no version serves', async () => {
    router.setTable(buildRoutingTable('x-user-id', 'ff-142', []));
    const reply = await httpRequest(`${base}/`);
    assert.equal(reply.status, 503);
    assert.equal(JSON.parse(reply.body).code, 'E_NO_VERSION');
  });

  test('a 95/5 split sends the users of buckets 1–5 to the canary, always the same ones', async () => {
    split(5);
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const ids = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
    const seen = new Map<string, string>();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < ids.length; i += 32) {
        await Promise.all(
          ids.slice(i, i + 32).map(async (id) => {
            const reply = await httpRequest(`${base}/`, { agent, headers: { 'x-user-id': id } });
            const version = JSON.parse(reply.body).version as string;
            if (seen.has(id)) assert.equal(version, seen.get(id), `${id} changed version`);
            seen.set(id, version);
            assert.equal(
              version,
              bucketOf('ff-142', id) <= 5 ? 'canary' : 'stable',
              `${id} in the wrong bucket`,
            );
          }),
        );
      }
    }
    agent.destroy();
    const share = ([...seen.values()].filter((v) => v === 'canary').length / ids.length) * 100;
    assert.ok(Math.abs(share - 5) <= 2, `canary share ${share} %`);
  });

  test('a client without a key gets a uid cookie that keeps it on its version', async () => {
    split(50);
    const first = await httpRequest(`${base}/`);
    const cookies = first.headers['set-cookie'] ?? [];
    const uidCookie = cookies.find((c) => c.startsWith('cutover_uid='));
    assert.ok(uidCookie, `no uid cookie in ${JSON.stringify(cookies)}`);
    assert.ok(cookies.includes('a=1') && cookies.includes('b=2'), 'the version’s own cookies are kept');
    const uid = uidCookie.slice('cutover_uid='.length).split(';')[0] as string;
    const expected = bucketOf('ff-142', uid) <= 50 ? 'canary' : 'stable';
    assert.equal(JSON.parse(first.body).version, expected);
    for (let i = 0; i < 5; i++) {
      const again = await httpRequest(`${base}/`, { headers: { cookie: `theme=dark; cutover_uid=${uid}` } });
      assert.equal(JSON.parse(again.body).version, expected);
      assert.equal(
        again.headers['set-cookie']?.some((c) => c.startsWith('cutover_uid=')),
        false,
      );
    }
  });

  test('streams request bodies through and sets x-forwarded-*', async () => {
    split(0);
    const body = 'x'.repeat(256 * 1024);
    const reply = await httpRequest(`${base}/echo`, {
      method: 'POST',
      body,
      headers: { 'x-forwarded-for': '10.0.0.1' },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body, body);
    const headers = stable.seen.at(-1);
    assert.equal(headers?.['x-forwarded-for'], '10.0.0.1, 127.0.0.1');
    assert.equal(headers?.['x-forwarded-proto'], 'http');
  });

  test('a version that does not answer gives a 502, counted on that version', async () => {
    const down = await startInProcessBackend('down');
    await down.close();
    const dead = new Backend('sha256:dead', down.port);
    router.setTable(buildRoutingTable('x-user-id', 'g', [{ backend: dead, weight: 100, healthy: true }]));
    const reply = await httpRequest(`${base}/`);
    assert.equal(reply.status, 502);
    assert.equal(dead.proxyErrors, 1);
    dead.dispose();
  });

  test('a client that gives up frees its in-flight slot and leaves the window untouched', async () => {
    split(0);
    const before = stableBackend.inflight;
    const req = request(`${base}/slow?ms=5000`);
    req.on('error', () => undefined);
    req.end();
    for (let i = 0; i < 200 && stableBackend.inflight === before; i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(stableBackend.inflight, before + 1);
    req.destroy();
    for (let i = 0; i < 200 && stableBackend.inflight !== before; i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(stableBackend.inflight, before);
  });
});
