// Build time of a runnable image of the same app, three ways, taking turns first:
// - base: cutover's `build: { base }` (reads the base's manifest and config, appends one layer);
// - podman: `podman build --timestamp 0` of the equivalent Containerfile, alone (no export);
// - containerfile: cutover's `build: { containerfile }` (podman build, save, import).
// The base (the test suite's Node base image from the host's node) is pushed to a fresh
// docker-registry and pulled into podman once before the runs, so no run pays for a download.
// Run after `npm run build`:  node bench/build.mjs [--runs 5]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 5;
const dist = new URL('../dist/', import.meta.url).pathname;
const load = (path) => import(join(dist, path));
const { startDockerRegistry } = await load('test/support/docker-registry.js');
const { pushNodeBase } = await load('test/support/node-base-image.js');
const { createChangesetBuilder } = await load('src/adapters/builder/changeset-builder.js');
const { createOciDistributionRegistry } = await load('src/adapters/registry/oci-distribution/index.js');
const { PODMAN_GLOBAL_ARGS, PODMAN_ULIMIT_ARGS } = await load('src/lib/podman/podman-command.js');

const podman = (...a) =>
  execFileSync('podman', [...PODMAN_GLOBAL_ARGS, ...a], { stdio: ['ignore', 'pipe', 'pipe'] });
const work = mkdtempSync(join(tmpdir(), 'cutover-bench-build-'));
const registry = await startDockerRegistry();
const base = await pushNodeBase(registry.url);
const app = join(work, 'app');
cpSync(new URL('../examples/orders-api/app', import.meta.url).pathname, app, { recursive: true });
writeFileSync(
  join(app, 'Containerfile'),
  `FROM ${base}\nWORKDIR /app\nCOPY . /app/\nENV PORT=8080\nEXPOSE 8080\nCMD ["node", "server.js"]\n`,
);
podman('pull', '--quiet', '--tls-verify=false', base);

const client = createOciDistributionRegistry(
  { type: 'oci-distribution', url: registry.url, insecure: false, verify: 'digest' },
  {},
);
const config = { type: 'oci-distribution', url: registry.url, insecure: false, verify: 'digest' };
const builder = createChangesetBuilder({
  registries: { environment: () => ({ registry: client, config }), other: () => client },
});
const changeset = (build) => ({
  id: '1',
  service: 'api-orders',
  version: '2.4.0',
  commit: 'abc1234f9e0d',
  source: './app',
  build,
  dod: [],
  feature_flag: 'ff',
  run: { command: ['node', 'server.js'], health_path: '/health', env: { APP_VERSION: '2.4.0' } },
});
let serial = 0;
const viaCutover = (build) => async () => {
  const workDir = join(work, `builds-${(serial += 1)}`);
  const request = { changeset: changeset(build), baseDir: work, workDir, tag: 'bench', environment: 'bench' };
  const image = await builder.build(request);
  rmSync(workDir, { recursive: true, force: true });
  return image.manifest.digest;
};
const ways = {
  base: viaCutover({ base }),
  podman: async () => {
    podman(
      'build',
      '--quiet',
      ...PODMAN_ULIMIT_ARGS,
      '--timestamp',
      '0',
      '--identity-label=false',
      '--layers=false',
      '--tls-verify=false',
      '--tag',
      'localhost/cutover-bench:1',
      app,
    );
    podman('rmi', 'localhost/cutover-bench:1');
    return '';
  },
  containerfile: viaCutover({ containerfile: 'Containerfile' }),
};

const names = Object.keys(ways);
const seconds = Object.fromEntries(names.map((n) => [n, []]));
const digests = Object.fromEntries(names.map((n) => [n, new Set()]));
try {
  for (let run = 0; run < runs; run++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(run + k) % names.length];
      const started = process.hrtime.bigint();
      digests[name].add(await ways[name]());
      const s = Number(process.hrtime.bigint() - started) / 1e9;
      seconds[name].push(s);
      console.log(`run ${run + 1} ${name.padEnd(13)} ${s.toFixed(2)} s`);
    }
  }
} finally {
  podman('rmi', '--force', base);
  await client.dispose();
  await registry.stop();
  rmSync(work, { recursive: true, force: true });
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const med = Object.fromEntries(names.map((n) => [n, median(seconds[n])]));
console.log(`\n${runs} runs each, base image ${base} (host node, ~45 MB gzip), app examples/orders-api/app`);
for (const n of names) console.log(`median ${n.padEnd(13)} ${med[n].toFixed(2)} s`);
console.log(`podman build / base append     ${(med.podman / med.base).toFixed(1)}×`);
console.log(`cutover containerfile / base   ${(med.containerfile / med.base).toFixed(1)}×`);
console.log(
  `reproducible: base ${digests.base.size === 1}, containerfile ${digests.containerfile.size === 1}`,
);
