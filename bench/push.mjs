// Push throughput of cutover's OCI Distribution client against skopeo and curl, each pushing the
// same ≥200 MiB gzip layer to a fresh docker-registry per run, the clients taking turns first.
// Run after `npm run build`:  node bench/push.mjs [--runs 3] [--mib 256] [--chunk-threshold-mib 32]
// cutover's figure is its push call (in a child process, which also gives its peak RSS); skopeo's
// and curl's are their whole process, whose start-up is a few ms.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pushWithCurl, pushWithCutover, pushWithSkopeo } from './push/clients.mjs';
import { prepareLayout } from './push/layout.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const runs = option('runs', 3);
const thresholdMiB = option('chunk-threshold-mib', 32);
const dist = new URL('../dist/', import.meta.url).pathname;
const { startDockerRegistry } = await import(join(dist, 'test/support/docker-registry.js'));

const layout = await prepareLayout(option('mib', 256));
const size = layout.image.layers[0].size;
const clients = {
  cutover: (registry) => pushWithCutover(registry, layout, thresholdMiB),
  skopeo: (registry) => pushWithSkopeo(registry, layout),
  curl: (registry) => pushWithCurl(registry, layout),
};
const names = Object.keys(clients);
const rates = Object.fromEntries(names.map((n) => [n, []]));
const rss = [];
for (let run = 0; run < runs; run++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(run + k) % names.length];
    // Flush the previous run's writes so no client pays for another's disk writeback.
    execFileSync('sync');
    const registry = await startDockerRegistry();
    try {
      const { seconds, rssMiB } = await clients[name](registry);
      rates[name].push(size / 1e6 / seconds);
      if (rssMiB) rss.push(rssMiB);
      const memory = rssMiB ? `  peak RSS ${rssMiB.toFixed(0)} MiB` : '';
      console.log(`run ${run + 1} ${name.padEnd(8)} ${(size / 1e6 / seconds).toFixed(0)} MB/s${memory}`);
    } finally {
      await registry.stop();
    }
  }
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const med = Object.fromEntries(names.map((n) => [n, median(rates[n])]));
console.log(
  `\nblob ${(size / 1024 / 1024).toFixed(0)} MiB, ${runs} runs each, fresh registry per run, chunk threshold ${thresholdMiB} MiB`,
);
for (const n of names) console.log(`median ${n.padEnd(8)} ${med[n].toFixed(0)} MB/s`);
console.log(
  `cutover/skopeo ${(med.cutover / med.skopeo).toFixed(2)}   cutover/curl ${(med.cutover / med.curl).toFixed(2)}`,
);
console.log(`cutover peak RSS ${Math.max(...rss).toFixed(0)} MiB (max over runs)`);
