// Runs every compiled test file with node's test runner. Node 20's --test takes no globs, so the
// files are listed here; pass a layer name (unit, contract, integration, e2e) to run only that one.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const layers = process.argv.slice(2);
const roots = (layers.length ? layers : ['unit', 'contract', 'integration', 'e2e']).map((l) =>
  join('dist', 'test', l),
);
const files = [];
const walk = (dir) => {
  let names;
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.js')) files.push(path);
  }
};
roots.forEach(walk);
// Longest first (the files' durations in a whole run on 2 cores, longest at the top), so the short
// files fill the gaps at the end instead of one long file running alone after everything else.
const LONGEST = [
  'crash-fleet',
  'crash-train',
  'ssh-fleet',
  'crash-fast-track',
  'journal-outage',
  'postgres-outage',
  'bad-inputs-generated',
  'crash-canary',
  'podman-runner',
  'runnable-images',
];
const rank = (file) => {
  const i = LONGEST.findIndex((name) => file.endsWith(`${name}.test.js`));
  return i === -1 ? LONGEST.length : i;
};
files.sort((a, b) => rank(a) - rank(b));
if (files.length === 0) {
  console.error('no test files found under', roots.join(', '));
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
