import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldEvents } from '../../src/core/fold-deploy.js';
import { buildResult } from '../../src/core/result.js';
import { deployResultSchema } from '../../src/core/schema/result.js';
import { happyPath, rowsOf } from '../support/events.js';
import { SEED_RESULT_FIELDS } from '../support/result-fields.js';

test('the result has the seed fields first, in the seed order, then the extras', () => {
  const rows = rowsOf([...happyPath(), { type: 'DEPLOY_SUCCEEDED' }]);
  const result = buildResult(foldEvents('d1', rows), rows, false);
  assert.deepEqual(Object.keys(result).slice(0, 7), SEED_RESULT_FIELDS);
  assert.deepEqual(Object.keys(result.flag_status), ['name', 'state', 'percentage']);
  assert.deepEqual(Object.keys(result.baseline_snapshot).slice(0, 3), [
    'latency_p95_ms',
    'error_rate_5xx',
    'cpu_percent',
  ]);
  assert.equal(result.status, 'success');
  assert.equal(result.version, '2.4.0-abc1234-20260224');
  assert.deepEqual(result.flag_status, { name: 'ff-142-api-orders', state: 'on', percentage: 100 });
  assert.deepEqual(
    result.actions_log.map((a) => a.action),
    ['PREFLIGHT', 'BUILD', 'PUSH', 'APPLY', 'FLAG_ACTIVATED'],
  );
  assert.equal(result.actions_log[4]!.percentage, 100);
  assert.deepEqual(Object.keys(result.actions_log[4]!).slice(0, 4), [
    'action',
    'status',
    'percentage',
    'timestamp',
  ]);
  assert.equal(result.timestamp, rows[rows.length - 1]!.at);
  assert.equal(result.artifact.digest, 'sha256:new');
  deployResultSchema.parse(result);
});

test('after a rollback the flag status is the previous state', () => {
  const events = happyPath().slice(0, 10);
  const rows = rowsOf([
    ...events,
    { type: 'FLAG_FAILED', code: 'E_FLAG_FAILED', reason: 'store down' },
    { type: 'ROLLBACK_START', reason: 'x', actions: ['ROLLBACK_FLAG', 'ROLLBACK_APPLY'] },
    { type: 'ROLLBACK_STEP', action: 'ROLLBACK_FLAG', status: 'success', detail: '' },
    { type: 'ROLLBACK_STEP', action: 'ROLLBACK_APPLY', status: 'success', detail: '' },
    { type: 'ROLLBACK_SUCCESS' },
    {
      type: 'DEPLOY_FAILED',
      failed_step: 'FLAG',
      code: 'E_FLAG_FAILED',
      reason: 'store down',
      rolled_back: true,
    },
  ]);
  const result = buildResult(foldEvents('d1', rows), rows, false);
  assert.equal(result.status, 'failed');
  assert.equal(result.failed_step, 'FLAG');
  assert.deepEqual(result.flag_status, { name: 'ff-142-api-orders', state: 'off', percentage: 0 });
  assert.deepEqual(result.rollback, { status: 'success', actions: ['ROLLBACK_FLAG', 'ROLLBACK_APPLY'] });
});
