import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DURATION_MS } from '../../src/core/schema/duration.js';
import { MAX_TIMER_MS, setLongTimeout, sleep } from '../../src/lib/long-timeout.js';

/** Fake timers; returns the delays handed to setTimeout so far. */
function fakeTimers(t: TestContext): () => number[] {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const spy = t.mock.method(globalThis, 'setTimeout');
  return () => spy.mock.calls.map((call) => call.arguments[1] as number);
}

const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

test('the longest duration is longer than a Node timer holds: the reason for chunking', () => {
  assert.ok(MAX_DURATION_MS > MAX_TIMER_MS);
});

test('a 30-day sleep ends after 30 days, never before, and no timer gets more than 2^31-1 ms', async (t) => {
  const delays = fakeTimers(t);
  let woke = false;
  void sleep(MAX_DURATION_MS).then(() => (woke = true));
  t.mock.timers.tick(1);
  await settle();
  assert.equal(woke, false, 'an overflowing timer would have fired after 1 ms');
  t.mock.timers.tick(MAX_TIMER_MS - 1);
  await settle();
  assert.equal(woke, false, 'woke after one chunk');
  t.mock.timers.tick(MAX_DURATION_MS - MAX_TIMER_MS - 1);
  await settle();
  assert.equal(woke, false, 'woke 1 ms early');
  t.mock.timers.tick(1);
  await settle();
  assert.equal(woke, true);
  assert.ok(delays().length >= 2);
  for (const ms of delays()) assert.ok(ms <= MAX_TIMER_MS, `setTimeout got ${ms} ms`);
});

test('a short delay is one plain timer; clear() stops a long one between its chunks', async (t) => {
  const delays = fakeTimers(t);
  let fired = 0;
  setLongTimeout(() => fired++, 250);
  t.mock.timers.tick(250);
  assert.equal(fired, 1);
  assert.deepEqual(delays(), [250]);
  const long = setLongTimeout(() => fired++, MAX_TIMER_MS * 2.5);
  t.mock.timers.tick(MAX_TIMER_MS + 10);
  long.clear();
  t.mock.timers.tick(MAX_TIMER_MS * 2);
  assert.equal(fired, 1, 'a cleared timer fired');
});
