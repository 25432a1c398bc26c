import assert from 'node:assert/strict';
import { it } from 'node:test';
import { deployOutcome } from '../../src/cli/report-deploy.js';
import type { DeployResult } from '../../src/core/schema/result.js';

const at = (s: number) => new Date(Date.UTC(2026, 10, 29, 4, 0, s)).toISOString();

it('a rolled-back deploy counts as rolled_back with the time from its failure to its last compensation', () => {
  const result = {
    status: 'failed',
    state: 'rolled_back',
    actions_log: [
      { action: 'APPLY', status: 'success', timestamp: at(0) },
      { action: 'ANALYSIS', status: 'failed', timestamp: at(10) },
      { action: 'ROLLBACK_FLAG', status: 'success', timestamp: at(11) },
      { action: 'ROLLBACK_APPLY', status: 'success', timestamp: at(14) },
    ],
    rollback: { status: 'success', actions: [] },
  } as unknown as DeployResult;
  assert.deepEqual(deployOutcome(result), { result: 'rolled_back', restore_seconds: 4 });
});

it('success is success; a failure without a rollback is failed; a deploy still waiting is not counted', () => {
  const base = { actions_log: [] } as unknown as DeployResult;
  assert.deepEqual(deployOutcome({ ...base, status: 'success', state: 'success' }), { result: 'success' });
  assert.deepEqual(deployOutcome({ ...base, status: 'failed', state: 'failed' }), { result: 'failed' });
  assert.equal(deployOutcome({ ...base, status: 'pending', state: 'awaiting_approval' }), undefined);
});
