// The router's HTTP/1.1 parser against Node's own llhttp, on many generated and mutated byte
// streams: the property test/unit/runtime/http1-differential.test.ts runs a few thousand times
// in the suite, run here 100,000 times (a fresh seed each run unless --seed is given). It prints
// how the streams ended and how many messages both parsers agreed on; any disagreement is a
// failure, printed with the stream, exit 1. Run after `npm run build`:
//   node bench/http-differential.mjs [--runs 100000] [--seed N]
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { cutsOf, requestStream } from '../dist/test/support/http1-arbitraries.js';
import { checkAgainstLlhttp } from '../dist/test/support/http1-differential.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isSafeInteger(value) || value < 1) {
    console.error(
      `bench/http-differential: --${name} must be a whole number ≥ 1, got ${JSON.stringify(args[i + 1])}`,
    );
    process.exit(2);
  }
  return value;
};
const runs = option('runs', 100_000);
const seed = option('seed', Date.now() % 2 ** 31);

const outcomes = {};
let relayed = 0;
let pipelined = 0;
let stricter = 0;
const started = performance.now();
try {
  fc.assert(
    fc.property(
      requestStream.chain((stream) => fc.tuple(fc.constant(stream), cutsOf(stream.length))),
      ([stream, cuts]) => {
        const verdict = checkAgainstLlhttp(stream, cuts);
        outcomes[verdict.outcome] = (outcomes[verdict.outcome] ?? 0) + 1;
        relayed += verdict.relayed;
        if (verdict.relayed > 1) pipelined++;
        if (verdict.stricter) stricter++;
      },
    ),
    { numRuns: runs, seed },
  );
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
const seconds = (performance.now() - started) / 1000;
console.log(`${runs} streams (seed ${seed}) in ${seconds.toFixed(1)} s: no disagreement with llhttp`);
console.log(`  messages relayed by the fast path and accepted, ended and read alike by llhttp: ${relayed}`);
console.log(`  streams with pipelined messages relayed: ${pipelined}`);
console.log(`  how each stream's reading ended: ${JSON.stringify(outcomes)}`);
console.log(`  bodies refused that llhttp would take (stricter, e.g. empty chunk extensions): ${stricter}`);
