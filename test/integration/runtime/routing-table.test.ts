import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backend } from '../../../src/runtime/http/backend.js';
import { buildRoutingTable } from '../../../src/runtime/http/routing-table.js';
import { readUidCookie } from '../../../src/runtime/http/sticky-key.js';

// Pure pieces of the router; they live here because the runtime's tests live here.

const backend = (name: string): Backend => new Backend(name, 1);

test('the newest version takes the lowest buckets, the rest follow in order', () => {
  const canary = backend('canary');
  const stable = backend('stable');
  const table = buildRoutingTable('X-User-Id', 'ff-1', [
    { backend: canary, weight: 5, healthy: true },
    { backend: stable, weight: 95, healthy: true },
  ]);
  assert.equal(table.header, 'x-user-id');
  assert.deepEqual(
    table.slots.map((s) => s?.digest),
    [...Array(5).fill('canary'), ...Array(95).fill('stable')],
  );
  assert.equal(table.only, null);
  assert.ok(Object.isFrozen(table) && Object.isFrozen(table.slots));
  canary.dispose();
  stable.dispose();
});

test('an unhealthy version’s buckets go to the healthy version with the largest weight', () => {
  const a = backend('a');
  const b = backend('b');
  const c = backend('c');
  const table = buildRoutingTable('x-user-id', 'g', [
    { backend: a, weight: 10, healthy: false },
    { backend: b, weight: 30, healthy: true },
    { backend: c, weight: 60, healthy: true },
  ]);
  const count = (name: string) => table.slots.filter((s) => s?.digest === name).length;
  assert.deepEqual([count('a'), count('b'), count('c')], [0, 30, 70]);
  assert.equal(table.slots[10]?.digest, 'b', 'b keeps its own users');
  [a, b, c].forEach((x) => x.dispose());
});

test('weight 0 everywhere, or no healthy version, routes nobody', () => {
  const a = backend('a');
  assert.equal(buildRoutingTable('x-user-id', 'g', [{ backend: a, weight: 0, healthy: true }]).empty, true);
  assert.equal(
    buildRoutingTable('x-user-id', 'g', [{ backend: a, weight: 100, healthy: false }]).empty,
    true,
  );
  assert.equal(buildRoutingTable('x-user-id', 'g', [{ backend: a, weight: 100, healthy: true }]).only, a);
  a.dispose();
});

test('reads the uid cookie among others, not from a cookie that merely ends with its name', () => {
  assert.equal(readUidCookie('cutover_uid=abc'), 'abc');
  assert.equal(readUidCookie('theme=dark; cutover_uid=abc; x=1'), 'abc');
  assert.equal(readUidCookie('xcutover_uid=nope; cutover_uid=yes'), 'yes');
  assert.equal(readUidCookie('xcutover_uid=nope'), null);
  assert.equal(readUidCookie('cutover_uid='), null);
  assert.equal(readUidCookie(undefined), null);
});
