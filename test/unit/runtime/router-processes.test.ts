import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { CutoverError } from '../../../src/core/errors.js';
import { routerProcessCount } from '../../../src/runtime/client/router-processes.js';

test('CUTOVER_ROUTER_PROCESSES: unset means one router process per core, at most 8', () => {
  assert.equal(routerProcessCount(undefined), Math.min(availableParallelism(), 8));
  assert.equal(routerProcessCount(' '), Math.min(availableParallelism(), 8));
});

test('CUTOVER_ROUTER_PROCESSES: a whole number from 1 to 64 is taken as it is', () => {
  assert.equal(routerProcessCount('1'), 1);
  assert.equal(routerProcessCount('3'), 3);
  assert.equal(routerProcessCount('64'), 64);
});

test('CUTOVER_ROUTER_PROCESSES: anything else is a usage error naming the variable and the value', () => {
  for (const raw of ['0', '-2', '1.5', 'two', '65', '2x', '1e1', '0x3', ' 3']) {
    assert.throws(
      () => routerProcessCount(raw),
      (err: unknown) =>
        err instanceof CutoverError &&
        err.code === 'E_USAGE' &&
        err.message ===
          `CUTOVER_ROUTER_PROCESSES=${JSON.stringify(raw)}: must be a whole number from 1 to 64`,
    );
  }
});
