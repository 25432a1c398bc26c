import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectDifference } from '../../../src/core/stats/difference-selection.js';
import { nextDifference } from '../../../src/core/stats/hodges-lehmann.js';
import { mulberry32 } from './seeded.js';

function allDifferences(x: Float64Array, y: Float64Array): Float64Array {
  const d = new Float64Array(x.length * y.length);
  let i = 0;
  for (const a of x) for (const b of y) d[i++] = a - b;
  return d.sort();
}

// Sizes whose n1·n2 exceeds the 4,096 candidates that are sorted outright, so the pivot rounds run.
const shapes: [number, number][] = [
  [150, 150],
  [400, 60],
  [17, 1500],
];

test('every probed rank matches the sorted list of all differences, continuous and heavily tied data', () => {
  const uniform = mulberry32(4242);
  const kinds = {
    continuous: () => uniform() * 50,
    'three values': () => Math.floor(uniform() * 3),
    'one value': () => 7,
    'long tail': () => Math.exp(uniform() * 8),
  };
  for (const [m, n] of shapes) {
    for (const [kind, draw] of Object.entries(kinds)) {
      const x = Float64Array.from({ length: m }, draw).sort();
      const y = Float64Array.from({ length: n }, draw).sort();
      const sorted = allDifferences(x, y);
      const last = sorted.length - 1;
      for (const k of [0, 1, 137, Math.floor(last / 3), Math.floor(last / 2), last - 1, last]) {
        assert.equal(selectDifference(x, y, k), sorted[k], `${kind} ${m} x ${n}, k = ${k}`);
        assert.equal(nextDifference(x, y, sorted[k]!, k), sorted[k + 1] ?? Infinity, `${kind} next of ${k}`);
      }
    }
  }
});
