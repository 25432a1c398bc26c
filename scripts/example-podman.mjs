// The README's third example: the orders-api example as a runnable image on a Node base image,
// run as a container by the podman runner (router on 127.0.0.1:7082, state in ./.cutover-podman).
// No base image can be downloaded on the machines this project is tested on, so the script makes
// one from the host's own node, as the tests do (test/support/node-base-image.ts), and puts it in
// the embedded registry as nodebase:20.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { nodeBaseLayout } from '../dist/test/support/node-base-image.js';

const stateDir = '.cutover-podman';
const cli = [
  'dist/src/cli/main.js',
  '--state-dir',
  stateDir,
  '--config',
  'examples/orders-api/cutover.podman.yaml',
];
const flag = 'ff-142-api-orders';

if (spawnSync('sh', ['-c', 'command -v podman'], { stdio: 'ignore' }).status !== 0) {
  console.error('podman not found; apt-get install podman runc uidmap');
  process.exit(1);
}

function cutover(args) {
  console.error(`$ cutover ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [...cli, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

const base = `${stateDir}/registry/nodebase`;
if (!existsSync(base)) cpSync((await nodeBaseLayout()).layoutDir, base, { recursive: true });
const exists = spawnSync(process.execPath, [...cli, 'flags', 'get', flag], { stdio: 'ignore' }).status === 0;
if (!exists) cutover(['flags', 'create', flag]);
cutover([
  'deploy',
  '-c',
  'examples/orders-api/changeset-base-image.yaml',
  '--env',
  'production',
  '--strategy',
  'fast-track',
]);

const res = await fetch('http://127.0.0.1:7082/');
console.error(`$ curl http://127.0.0.1:7082/\n${res.status} ${await res.text()}`);
console.error('\nThe service runs as a podman container behind the local runtime. Next:');
console.error(`  podman ps                                                   # cutover-production-2.4.0-…`);
console.error(`  node dist/src/cli/main.js --state-dir ${stateDir} logs production`);
console.error(`  node dist/src/cli/main.js --state-dir ${stateDir} runtime stop   # stop and remove it`);
