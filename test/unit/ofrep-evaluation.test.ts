import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isInRollout } from '../../src/core/bucketing.js';
import { evaluateAll } from '../../src/runtime/ofrep/bulk-evaluation.js';
import { evaluateFlag, statusOf } from '../../src/runtime/ofrep/evaluate-flag.js';
import type { EnvironmentFlag } from '../../src/runtime/ofrep/flag-reader.js';

const flag = (state: 'on' | 'off', percentage: number, name = 'ff-142'): EnvironmentFlag => ({
  name,
  state,
  percentage,
});

test('state and percentage map to OFREP value, variant and reason', () => {
  assert.deepEqual(evaluateFlag('ff-142', flag('off', 100), 'u'), {
    key: 'ff-142',
    value: false,
    variant: 'off',
    reason: 'DISABLED',
  });
  assert.deepEqual(evaluateFlag('ff-142', flag('on', 100), null), {
    key: 'ff-142',
    value: true,
    variant: 'on',
    reason: 'STATIC',
  });
  assert.deepEqual(evaluateFlag('ff-142', flag('on', 0), null), {
    key: 'ff-142',
    value: false,
    variant: 'off',
    reason: 'STATIC',
  });
});

test('a partial rollout is the bucket of the flag name, and needs a targetingKey', () => {
  for (let i = 0; i < 500; i++) {
    const on = isInRollout('ff-142', `user-${i}`, 5);
    assert.deepEqual(evaluateFlag('ff-142', flag('on', 5), `user-${i}`), {
      key: 'ff-142',
      value: on,
      variant: on ? 'on' : 'off',
      reason: 'SPLIT',
    });
  }
  const missing = evaluateFlag('ff-142', flag('on', 5), null);
  assert.equal(statusOf(missing), 400);
  assert.deepEqual(missing, {
    key: 'ff-142',
    errorCode: 'TARGETING_KEY_MISSING',
    errorDetails: 'flag "ff-142" is on for 5 % of users: the context needs a targetingKey',
  });
  assert.equal(statusOf(evaluateFlag('ff-9', undefined, 'u')), 404);
  assert.equal(statusOf(evaluateFlag('ff-142', flag('on', 5), 'u')), 200);
});

test('bulk ETags change with the answer and match weakly, in lists and as *', () => {
  const flags = [flag('on', 100, 'a'), flag('off', 0, 'b')];
  const first = evaluateAll(flags, 'u', undefined);
  assert.equal(first.status, 200);
  assert.equal(evaluateAll(flags, 'u', first.etag).status, 304);
  assert.equal(evaluateAll(flags, 'u', `"x", W/${first.etag}`).status, 304);
  assert.equal(evaluateAll(flags, 'u', '*').status, 304);
  const changed = evaluateAll([flag('on', 100, 'a'), flag('on', 100, 'b')], 'u', first.etag);
  assert.equal(changed.status, 200);
  assert.notEqual(changed.etag, first.etag);
  const none = evaluateAll([], null, undefined);
  assert.equal(none.status === 200 && none.body.toString(), '{"flags":[]}');
});
