import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEPLOY_EVENT_TYPES, isDeployEventType } from '../../../src/core/event-types.js';
import { judgeAttempt, WEBHOOK_POLICY } from '../../../src/core/notify/retry-policy.js';
import { subscribedName } from '../../../src/core/notify/notify-events.js';
import { webhookPayload } from '../../../src/core/notify/webhook-payload.js';
import { requested } from '../../support/events.js';

test('the event type list has every type once', () => {
  assert.equal(new Set(DEPLOY_EVENT_TYPES).size, DEPLOY_EVENT_TYPES.length);
  assert.ok(isDeployEventType('DEPLOY_FAILED'));
  assert.ok(!isDeployEventType('AWAITING_APPROVAL'));
});

test('a manual deploy’s DEPLOY_SUCCEEDED is AWAITING_APPROVAL; its follow-up and other modes are not', () => {
  const succeeded = { type: 'DEPLOY_SUCCEEDED' } as const;
  const both = { events: ['AWAITING_APPROVAL', 'DEPLOY_SUCCEEDED'] };
  assert.equal(subscribedName(both, succeeded, requested('manual')), 'AWAITING_APPROVAL');
  assert.equal(subscribedName(both, succeeded, requested('canary')), 'DEPLOY_SUCCEEDED');
  const followUp = {
    ...requested('manual'),
    artifact_from: { deploy_id: 'd', digest: 'sha256:x', layout_dir: '/l' },
  };
  assert.equal(subscribedName({ events: ['AWAITING_APPROVAL'] }, succeeded, followUp), undefined);
  assert.equal(subscribedName({ events: ['DEPLOY_FAILED'] }, succeeded, requested()), undefined);
  const onlyStaging = { events: ['DEPLOY_SUCCEEDED'], environments: ['staging'] };
  assert.equal(subscribedName(onlyStaging, succeeded, requested()), undefined, 'production is filtered out');
  assert.equal(subscribedName(onlyStaging, succeeded, undefined), undefined, 'no request, no environment');
});

test('retries: network errors, timeouts, 408, 429 and 5xx back off 1, 2, 4, 8 s; other answers are final', () => {
  assert.deepEqual(judgeAttempt({ status: 204 }, 1), { outcome: 'delivered' });
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => judgeAttempt({ status: 503 }, n)),
    [1000, 2000, 4000, 8000].map((afterMs) => ({ outcome: 'retry', error: 'HTTP 503', afterMs })),
  );
  assert.deepEqual(judgeAttempt({ status: 503 }, WEBHOOK_POLICY.attempts), {
    outcome: 'failed',
    error: 'HTTP 503',
  });
  for (const status of [408, 429]) assert.equal(judgeAttempt({ status }, 1).outcome, 'retry');
  assert.equal(judgeAttempt({ error: 'ECONNRESET' }, 1).outcome, 'retry');
  for (const status of [301, 400, 401, 404, 410])
    assert.deepEqual(judgeAttempt({ status }, 1), { outcome: 'failed', error: `HTTP ${status}` });
});

test('the payload: the event, its deploy’s environment, one Slack line', () => {
  const payload = webhookPayload({
    deliveryId: 'id-1',
    name: 'DEPLOY_FAILED',
    row: {
      id: 7,
      deploy_id: '0193-d',
      seq: 4,
      at: '2026-11-29T07:00:00.000Z',
      event: {
        type: 'DEPLOY_FAILED',
        failed_step: 'APPLY',
        rolled_back: false,
        code: 'E_APPLY_FAILED',
        reason: 'boom',
      },
    },
    request: requested(),
  });
  assert.deepEqual(payload, {
    id: 'id-1',
    type: 'DEPLOY_FAILED',
    event_type: 'DEPLOY_FAILED',
    deploy_id: '0193-d',
    environment: 'production',
    seq: 4,
    position: 7,
    at: '2026-11-29T07:00:00.000Z',
    data: { failed_step: 'APPLY', rolled_back: false, code: 'E_APPLY_FAILED', reason: 'boom' },
    summary: 'deploy 0193-d (api-orders 2.4.0-abc1234-20260224) to production FAILED at APPLY: boom',
    text: 'cutover: deploy 0193-d (api-orders 2.4.0-abc1234-20260224) to production FAILED at APPLY: boom',
  });
});

test('a manual deploy’s end reads as awaiting approval under either name', () => {
  const row = {
    id: 3,
    deploy_id: 'm',
    seq: 9,
    at: '2026-11-29T07:00:00.000Z',
    event: { type: 'DEPLOY_SUCCEEDED' } as const,
  };
  for (const name of ['AWAITING_APPROVAL', 'DEPLOY_SUCCEEDED'] as const)
    assert.equal(
      webhookPayload({ deliveryId: 'x', name, row, request: requested('manual') }).summary,
      'deploy m (api-orders 2.4.0-abc1234-20260224) to production AWAITS APPROVAL, live on staging',
    );
  assert.match(
    webhookPayload({ deliveryId: 'x', name: 'DEPLOY_SUCCEEDED', row, request: requested() }).summary,
    /SUCCEEDED$/,
  );
});
