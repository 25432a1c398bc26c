import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, OpenFeature, type Client } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { openSqliteFlags } from '../../../src/adapters/flags/sqlite-flags.js';
import { isInRollout } from '../../../src/core/bucketing.js';
import type { Flags } from '../../../src/ports/flags.js';
import type { TestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';
import { startServingRuntime } from '../../support/serving-runtime.js';

const FLAG = 'ff-142-api-orders';

describe('OFREP on the router port, from the flag store the CLI writes', () => {
  let runtime: TestRuntime;
  let base = '';
  let flags: Flags | null = null;
  let client: Client;
  const store = () => flags as Flags;

  before(async () => {
    // The app answers 200 to any path: whatever OFREP answers below, the runtime answered.
    ({ runtime, base } = await startServingRuntime({ app: '1.0.0' }, { app: 100 }));
    await OpenFeature.setProviderAndWait(new OFREPProvider({ baseUrl: base }));
    client = OpenFeature.getClient();
  });

  after(async () => {
    await OpenFeature.close();
    await flags?.dispose?.();
    await runtime.dispose();
  });

  test('with no store yet every flag is FLAG_NOT_FOUND, and the daemon creates no file', async () => {
    const details = await client.getBooleanDetails(FLAG, true, { targetingKey: 'user-1' });
    assert.equal(details.value, true);
    assert.equal(details.errorCode, ErrorCode.FLAG_NOT_FOUND);
    assert.equal(existsSync(join(runtime.stateDir, 'flags.db')), false);

    flags = openSqliteFlags(join(runtime.stateDir, 'flags.db'));
    await store().create(FLAG);
    const created = await client.getBooleanDetails(FLAG, true, { targetingKey: 'user-1' });
    assert.deepEqual([created.value, created.reason, created.variant], [false, 'DISABLED', 'off']);
    assert.equal(created.errorCode, undefined);
  });

  test('each change the CLI makes is seen by the next evaluation, for this environment only', async () => {
    const evaluate = async () => {
      const d = await client.getBooleanDetails(FLAG, false, { targetingKey: 'user-1' });
      return [d.value, d.reason, d.variant];
    };
    await store().set(FLAG, 'staging', { state: 'on', percentage: 100 });
    assert.deepEqual(await evaluate(), [false, 'DISABLED', 'off']);
    await store().set(FLAG, 'production', { state: 'on', percentage: 100 });
    assert.deepEqual(await evaluate(), [true, 'STATIC', 'on']);
    await store().set(FLAG, 'production', { state: 'on', percentage: 0 });
    assert.deepEqual(await evaluate(), [false, 'STATIC', 'off']);
    await store().set(FLAG, 'production', { state: 'off', percentage: 100 });
    assert.deepEqual(await evaluate(), [false, 'DISABLED', 'off']);
  });

  test('a partial rollout buckets the targetingKey, and refuses a context without one', async () => {
    await store().set(FLAG, 'production', { state: 'on', percentage: 50 });
    const missing = await client.getBooleanDetails(FLAG, true, {});
    assert.equal(missing.value, true);
    assert.equal(missing.errorCode, ErrorCode.TARGETING_KEY_MISSING);
    for (let i = 0; i < 40; i++) {
      const d = await client.getBooleanDetails(FLAG, false, { targetingKey: `user-${i}` });
      assert.deepEqual([d.value, d.reason], [isInRollout(FLAG, `user-${i}`, 50), 'SPLIT']);
    }
    const unknown = await client.getBooleanDetails('ff-nobody-made', false, { targetingKey: 'user-1' });
    assert.equal(unknown.errorCode, ErrorCode.FLAG_NOT_FOUND);
  });

  test('bulk: every flag for the context, an ETag, and 304 until something changes', async () => {
    await store().create('ff-other');
    const bulk = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}/ofrep/v1/evaluate/flags`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const id = Array.from({ length: 100 }, (_, i) => `user-${i}`).find((u) => isInRollout(FLAG, u, 50));
    const first = await bulk({ context: { targetingKey: id } });
    assert.equal(first.status, 200);
    const etag = first.headers.get('etag') as string;
    assert.match(etag, /^"[\w-]+"$/);
    assert.deepEqual(await first.json(), {
      flags: [
        { key: FLAG, value: true, variant: 'on', reason: 'SPLIT' },
        { key: 'ff-other', value: false, variant: 'off', reason: 'DISABLED' },
      ],
    });
    const same = await bulk({ context: { targetingKey: id } }, { 'if-none-match': `W/${etag}` });
    assert.equal(same.status, 304);
    assert.equal(await same.text(), '');

    await store().set('ff-other', 'production', { state: 'on', percentage: 100 });
    const changed = await bulk({ context: { targetingKey: id } }, { 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    const noKey = (await (await bulk({})).json()) as { flags: unknown[] };
    assert.deepEqual(noKey.flags[0], {
      key: FLAG,
      errorCode: 'TARGETING_KEY_MISSING',
      errorDetails: `flag "${FLAG}" is on for 50 % of users: the context needs a targetingKey`,
    });
  });

  test('malformed requests and unknown paths get JSON errors; other paths still reach the app', async () => {
    const post = (path: string, body: string) =>
      httpRequest(`${base}${path}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
    const parse = await post(`/ofrep/v1/evaluate/flags/${FLAG}`, '{"context":');
    assert.equal(parse.status, 400);
    assert.equal(JSON.parse(parse.body).errorCode, 'PARSE_ERROR');
    assert.equal(JSON.parse(parse.body).key, FLAG);
    const context = await post(`/ofrep/v1/evaluate/flags/${FLAG}`, '{"context":"user-1"}');
    assert.deepEqual([context.status, JSON.parse(context.body).errorCode], [400, 'INVALID_CONTEXT']);
    const key = await post('/ofrep/v1/evaluate/flags', '{"context":{"targetingKey":42}}');
    assert.deepEqual([key.status, JSON.parse(key.body).errorCode], [400, 'INVALID_CONTEXT']);

    const get = await httpRequest(`${base}/ofrep/v1/evaluate/flags/${FLAG}`);
    assert.deepEqual([get.status, get.headers.allow], [405, 'POST']);
    assert.match(JSON.parse(get.body).errorDetails, /GET is not allowed/);
    const nope = await post('/ofrep/v1/nope', '{}');
    assert.equal(nope.status, 404);
    assert.equal(nope.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(nope.body), { errorDetails: 'no OFREP endpoint at /ofrep/v1/nope' });

    const app = await httpRequest(`${base}/ofrep`);
    assert.equal(app.status, 200);
    assert.equal(JSON.parse(app.body).version, '1.0.0');
  });
});
