import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CutoverError } from '../../../src/core/errors.js';
import { bearerIdentities } from '../../../src/server/bearer-auth.js';
import { errorResponse } from '../../../src/server/error-response.js';
import { parseListen } from '../../../src/server/listen-address.js';
import { authorize } from '../../../src/service/identity.js';

const hash = (t: string) => createHash('sha256').update(t).digest('hex');
const identify = bearerIdentities([
  { name: 'vic', role: 'viewer', token_sha256: hash('v-token') },
  { name: 'root', role: 'admin', token_sha256: hash('r-token') },
]);
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as CutoverError).code;
  }
  return 'none';
};

test('a bearer token is known by its SHA-256 and gives the name and role of its entry', () => {
  assert.deepEqual(identify('Bearer r-token'), { name: 'root', role: 'admin' });
  assert.deepEqual(identify('Bearer v-token'), { name: 'vic', role: 'viewer' });
  for (const header of [
    undefined,
    '',
    'Bearer',
    'Basic r-token',
    'Bearer r-token2',
    'bearer r-token',
    `Bearer ${hash('r-token')}`,
  ])
    assert.equal(
      code(() => identify(header)),
      'E_UNAUTHORIZED',
      String(header),
    );
});

test('roles are ordered: each may do what the one before it may', () => {
  const who = (role: 'viewer' | 'deployer' | 'approver' | 'admin') => ({ name: 'x', role });
  assert.equal(
    code(() => authorize(who('viewer'), 'read', 'status')),
    'none',
  );
  assert.equal(
    code(() => authorize(who('viewer'), 'deploy', 'deploy')),
    'E_FORBIDDEN',
  );
  assert.equal(
    code(() => authorize(who('deployer'), 'deploy', 'deploy')),
    'none',
  );
  assert.equal(
    code(() => authorize(who('deployer'), 'approve', 'approve')),
    'E_FORBIDDEN',
  );
  assert.equal(
    code(() => authorize(who('approver'), 'deploy', 'abort')),
    'none',
  );
  assert.equal(
    code(() => authorize(who('approver'), 'admin', 'setting a flag')),
    'E_FORBIDDEN',
  );
  assert.equal(
    code(() => authorize(who('admin'), 'admin', 'setting a flag')),
    'none',
  );
});

test('error codes map to HTTP statuses; an error not of cutover says nothing of itself', () => {
  const status = (c: ConstructorParameters<typeof CutoverError>[0]) =>
    errorResponse(new CutoverError(c, 'm'), () => undefined).status;
  assert.deepEqual(
    [
      'E_INVALID_INPUT',
      'E_UNAUTHORIZED',
      'E_FORBIDDEN',
      'E_SELF_APPROVAL',
      'E_NOT_FOUND',
      'E_LOCK_HELD',
      'E_WRONG_STATE',
      'E_STATE_UNAVAILABLE',
      'E_BUILD_FAILED',
    ].map((c) => status(c as never)),
    [400, 401, 403, 403, 404, 409, 409, 503, 500],
  );
  const logged: string[] = [];
  const hidden = errorResponse(new Error('ENOENT /secret/path'), (l) => logged.push(l));
  assert.deepEqual(hidden, {
    status: 500,
    body: { code: 'E_INTERNAL', message: 'internal error (see the server log)' },
  });
  assert.match(logged[0]!, /ENOENT \/secret\/path/);
});

test('--listen is host:port; loopback addresses are told apart', () => {
  assert.deepEqual(parseListen('127.0.0.1:7070'), { host: '127.0.0.1', port: 7070, loopback: true });
  assert.deepEqual(parseListen('[::1]:0'), { host: '::1', port: 0, loopback: true });
  assert.deepEqual(parseListen('0.0.0.0:7070'), { host: '0.0.0.0', port: 7070, loopback: false });
  for (const bad of ['7070', 'host:', 'h:99999', ':7070'])
    assert.equal(
      code(() => parseListen(bad)),
      'E_USAGE',
      bad,
    );
});
