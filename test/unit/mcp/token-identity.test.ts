import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { isCutoverError } from '../../../src/core/errors.js';
import { identityOf } from '../../../src/mcp/token-identity.js';

const TOKEN = 'agent-token-5f1e';
const tokens = [
  { name: 'vic', role: 'viewer' as const, token_sha256: createHash('sha256').update('other').digest('hex') },
  {
    name: 'release-bot',
    role: 'deployer' as const,
    token_sha256: createHash('sha256').update(TOKEN).digest('hex'),
  },
];

/** Asserts `run` throws a CutoverError with `code` whose message matches `message` and omits the token. */
function refuses(run: () => unknown, code: string, message: RegExp): void {
  assert.throws(run, (err) => {
    assert.ok(isCutoverError(err));
    assert.equal(err.code, code);
    assert.match(err.message, message);
    assert.ok(!err.message.includes(TOKEN), 'the token is never repeated');
    return true;
  });
}

test('CUTOVER_TOKEN is the tokens: entry whose token_sha256 is its SHA-256', () => {
  assert.deepEqual(identityOf({ token: TOKEN, tokens, allowAnonymous: false }), {
    name: 'release-bot',
    role: 'deployer',
  });
});

test('no token, or one matching no entry, is E_UNAUTHORIZED', () => {
  refuses(
    () => identityOf({ token: undefined, tokens, allowAnonymous: false }),
    'E_UNAUTHORIZED',
    /is not set/,
  );
  refuses(() => identityOf({ token: '', tokens, allowAnonymous: false }), 'E_UNAUTHORIZED', /is not set/);
  refuses(
    () => identityOf({ token: `${TOKEN}x`, tokens, allowAnonymous: false }),
    'E_UNAUTHORIZED',
    /^CUTOVER_TOKEN is not one of cutover.yaml tokens:/,
  );
  refuses(
    () => identityOf({ token: 'with space', tokens, allowAnonymous: false }),
    'E_UNAUTHORIZED',
    /not one of/,
  );
});

test('--allow-anonymous: only with no tokens configured, and then the caller is the local user as admin', () => {
  refuses(
    () => identityOf({ token: undefined, tokens: [], allowAnonymous: false }),
    'E_USAGE',
    /has no tokens/,
  );
  refuses(() => identityOf({ token: TOKEN, tokens, allowAnonymous: true }), 'E_USAGE', /--allow-anonymous/);
  const actor = process.env.CUTOVER_ACTOR;
  process.env.CUTOVER_ACTOR = 'ops-laptop';
  try {
    assert.deepEqual(identityOf({ token: undefined, tokens: [], allowAnonymous: true }), {
      name: 'ops-laptop',
      role: 'admin',
    });
  } finally {
    if (actor === undefined) delete process.env.CUTOVER_ACTOR;
    else process.env.CUTOVER_ACTOR = actor;
  }
});
