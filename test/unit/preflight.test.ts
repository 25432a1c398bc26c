import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDod, checkRollbackPlan } from '../../src/core/preflight.js';
import { DEFAULT_DOD_STEPS } from '../../src/core/schema/config.js';
import { changesetSchema } from '../../src/core/schema/changeset.js';

const base = { id: '1', service: 's', version: '1.0.0', commit: 'abcdef1', source: '.', feature_flag: 'f' };
const allDone = DEFAULT_DOD_STEPS.map((step) => ({ step, done: true }));

test('9/9 done passes', () => {
  const check = checkDod(changesetSchema.parse({ ...base, dod: allDone }), DEFAULT_DOD_STEPS);
  assert.deepEqual(check, { name: 'dod', ok: true, detail: 'DoD complete (9/9)' });
});

test('names the missing and undone steps, in the configured order', () => {
  const dod = allDone
    .filter((s) => s.step !== 'load-test')
    .map((s) => (s.step === 'security-review' ? { ...s, done: false } : s));
  const check = checkDod(changesetSchema.parse({ ...base, dod }), DEFAULT_DOD_STEPS);
  assert.equal(check.ok, false);
  assert.equal(check.detail, 'DoD incomplete (7/9): security-review, load-test');
});

test('an unknown step is named with the expected list', () => {
  const dod = [...allDone.slice(0, 8), { step: 'perf-test', done: true }];
  const check = checkDod(changesetSchema.parse({ ...base, dod }), DEFAULT_DOD_STEPS);
  assert.match(
    check.detail,
    /^DoD incomplete \(8\/9\): rollback-tested; unknown steps perf-test \(expected: /,
  );
});

test('rollback plan missing, or custom without steps', () => {
  assert.equal(
    checkRollbackPlan(changesetSchema.parse(base)).detail,
    'rollback plan missing (rollback_plan: {kind, notes})',
  );
  const custom = changesetSchema.parse({ ...base, rollback_plan: { kind: 'custom' } });
  assert.equal(checkRollbackPlan(custom).ok, false);
  const ok = changesetSchema.parse({ ...base, rollback_plan: { kind: 'previous-version', notes: 'revert' } });
  assert.equal(checkRollbackPlan(ok).ok, true);
});
