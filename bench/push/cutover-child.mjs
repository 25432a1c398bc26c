// Pushes the bench image with cutover's client in its own process, so the peak RSS measured is
// cutover's alone. Prints one JSON line: the push time (s) and the peak RSS (MiB).
// argv: <registry url> <image.json> <chunk threshold MiB> [<chunk size MiB>]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [url, imagePath, thresholdMiB, chunkMiB] = process.argv.slice(2);
const dist = new URL('../../dist/', import.meta.url).pathname;
const { createOciDistributionRegistry } = await import(
  `${dist}src/adapters/registry/oci-distribution/index.js`
);
const image = JSON.parse(readFileSync(imagePath, 'utf8'));
const registry = createOciDistributionRegistry(
  { type: 'oci-distribution', url, insecure: false, verify: 'digest' },
  {},
  chunkMiB
    ? { chunkThreshold: Number(thresholdMiB) * 1024 * 1024, chunkSize: Number(chunkMiB) * 1024 * 1024 }
    : { chunkThreshold: Number(thresholdMiB) * 1024 * 1024 },
);
const started = performance.now();
await registry.push(image, 'bench/cutover', 'bench');
const seconds = (performance.now() - started) / 1000;
await registry.dispose();
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const rssMiB = Math.max(hwm ? Number(hwm[1]) / 1024 : 0, process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify({ seconds, rssMiB }));
