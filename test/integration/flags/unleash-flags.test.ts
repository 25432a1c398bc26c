import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createUnleashFlags, type UnleashFlagsOptions } from '../../../src/adapters/flags/unleash-flags.js';
import { CutoverError } from '../../../src/core/errors.js';
import { freePort } from '../../support/ports.js';
import { skipUnlessUnleash, unleashPerFile, type RunningUnleash } from '../../support/unleash.js';

const unleash = unleashPerFile();
const ENVIRONMENTS = { production: 'production', staging: 'development' };

/** The error a call rejects with: one line, its code, never the token. */
async function failure(call: Promise<unknown>, code: string, token: string): Promise<string> {
  const err = await call.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof CutoverError, String(err));
  assert.equal(err.code, code, err.message);
  assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
  assert.ok(!err.message.includes(token.split('.')[1]!), 'the token is not in the message');
  assert.ok(!JSON.stringify(err.details).includes(token.split('.')[1]!), 'nor in its details');
  return err.message;
}

describe('Unleash flags: errors and exact restore', { skip: skipUnlessUnleash() }, () => {
  let server: RunningUnleash;
  const flagsWith = (o: Partial<UnleashFlagsOptions> = {}) =>
    createUnleashFlags({
      url: server.url,
      project: 'default',
      token: server.adminToken,
      tokenEnv: 'UNLEASH_TOKEN',
      environments: ENVIRONMENTS,
      ...o,
    });
  const admin = async (method: string, path: string, body?: unknown) => {
    const reply = await fetch(`${server.url}/api/admin/projects/default/${path}`, {
      method,
      headers: { authorization: server.adminToken, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: reply.status, text: await reply.text() };
  };

  before(async () => {
    server = await unleash();
  });

  it('unreachable, refused token, unknown project: E_… with the URL and the flag, never the token', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const msg = await failure(
      flagsWith({ url: down }).get('ff-x', 'production'),
      'E_FLAGS_UNAVAILABLE',
      server.adminToken,
    );
    assert.match(
      msg,
      new RegExp(`^Unleash at ${down} is unreachable \\(ECONNREFUSED\\) reading flag ff-x in production$`),
    );
    const refused = await failure(
      flagsWith({ token: '*:*.not-the-token' }).get('ff-x', 'production'),
      'E_FLAGS_UNAVAILABLE',
      server.adminToken,
    );
    assert.equal(
      refused,
      `Unleash at ${server.url} refused the token in $UNLEASH_TOKEN (HTTP 401) reading flag ff-x in production`,
    );
    assert.equal(
      await failure(
        flagsWith({ project: 'payments' }).get('ff-x', 'production'),
        'E_INVALID_INPUT',
        server.adminToken,
      ),
      `Unleash at ${server.url} has no project "payments" (flags.project in cutover.yaml) reading flag ff-x`,
    );
  });

  it('an archived flag is named as archived, for get, set and create; an unknown environment too', async () => {
    const flags = flagsWith();
    await flags.create('ff-archived');
    assert.equal((await admin('DELETE', 'features/ff-archived')).status, 202);
    const archived = `flag ff-archived is archived in Unleash at ${server.url} (project default): revive it there or name another flag`;
    for (const call of [
      () => flags.get('ff-archived', 'production'),
      () => flags.set('ff-archived', 'production', { state: 'on', percentage: 5 }),
      () => flags.create('ff-archived'),
    ])
      assert.equal(await failure(call(), 'E_FLAG_MISSING', server.adminToken), archived);
    await flags.create('ff-envs');
    assert.match(
      await failure(
        flagsWith({ environments: { qa: 'qa' } }).get('ff-envs', 'qa'),
        'E_INVALID_INPUT',
        server.adminToken,
      ),
      /has no environment "qa" \(set flags.environment of qa in cutover.yaml\) reading flag ff-envs$/,
    );
  });

  it('a rollout Unleash itself would take (150) is refused before anything is sent', async () => {
    const flags = flagsWith();
    await flags.create('ff-range');
    await failure(
      flags.set('ff-range', 'production', { state: 'on', percentage: 150 }),
      'E_INVALID_INPUT',
      server.adminToken,
    );
    assert.equal((await admin('GET', 'features/ff-range/environments/production/strategies')).text, '[]');
  });

  it("the team's own strategies are disabled, not deleted, at a percentage, and come back byte for byte", async () => {
    const flags = flagsWith();
    await flags.create('ff-team');
    const strategies = 'features/ff-team/environments/production/strategies';
    const testers = {
      name: 'default',
      title: 'internal testers',
      constraints: [{ contextName: 'userId', operator: 'IN', values: ['alice', 'bob'] }],
      parameters: {},
    };
    assert.equal((await admin('POST', strategies, testers)).status, 200);
    const rollout = {
      name: 'flexibleRollout',
      constraints: [],
      parameters: { rollout: '30', stickiness: 'userId', groupId: 'x' },
    };
    assert.equal((await admin('POST', strategies, rollout)).status, 200);
    assert.equal((await admin('POST', 'features/ff-team/environments/production/on')).status, 200);
    const before = await admin('GET', strategies);
    const previous = await flags.get('ff-team', 'production');

    await flags.set('ff-team', 'production', { state: 'on', percentage: 5 });
    const during = JSON.parse((await admin('GET', strategies)).text) as Array<{
      name: string;
      disabled: boolean;
      parameters: Record<string, string>;
    }>;
    assert.deepEqual(
      during.map((s) => [s.name, s.disabled, s.parameters]),
      [
        ['default', true, {}],
        ['flexibleRollout', false, { rollout: '5', stickiness: 'default', groupId: 'ff-team' }],
      ],
      'one active rollout at 5 %: the same users as the router',
    );

    await flags.set('ff-team', 'production', { state: 'off', percentage: 0 });
    await flags.set('ff-team', 'production', previous!);
    assert.equal((await admin('GET', strategies)).text, before.text);
    assert.deepEqual(await flags.get('ff-team', 'production'), previous);
  });
});
