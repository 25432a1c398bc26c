// Runs compiled e2e test files N times in a row while a busy loop spins on every core, and prints
// how many runs passed: issue 11's check that the analysis holds on a loaded machine.
//   npm run build && node scripts/soak-beside-cpu-hog.mjs [--times 10] [--hogs 2] train crash-canary …
import { fork, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';

if (process.argv[2] === '--spin') for (;;);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    times: { type: 'string', default: '10' },
    hogs: { type: 'string', default: String(availableParallelism()) },
  },
});
const names = positionals.length ? positionals : ['train', 'crash-train'];
const files = names.map((n) => `dist/test/e2e/${n}.test.js`);
const hogs = Array.from({ length: Number(values.hogs) }, () =>
  fork(new URL(import.meta.url).pathname, ['--spin'], { stdio: 'ignore' }),
);
const stopHogs = () => hogs.forEach((h) => h.kill('SIGKILL'));
process.on('exit', stopHogs);

const failures = [];
for (let run = 1; run <= Number(values.times); run++) {
  for (const file of files) {
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--test', file], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const ok = r.status === 0;
    console.log(`run ${run} ${file}: ${ok ? 'pass' : 'FAIL'} in ${seconds} s (${hogs.length} hogs)`);
    if (!ok) {
      failures.push(`${run} ${file}`);
      console.log(
        r.stdout
          .split('\n')
          .filter((l) => /not ok|error:|reason/.test(l))
          .join('\n'),
      );
    }
  }
}
stopHogs();
console.log(
  `${failures.length === 0 ? 'PASS' : 'FAIL'}: ${failures.length} failed runs of ${Number(values.times) * files.length}`,
);
process.exit(failures.length === 0 ? 0 : 1);
