// The README's first command: a real fast-track deploy of examples/orders-api on the embedded
// defaults (state in ./.cutover), then a request through the production router to show it answering.
import { spawnSync } from 'node:child_process';

const cli = ['dist/src/cli/main.js'];
const flag = 'ff-142-api-orders';

function cutover(args, { allowFail = false } = {}) {
  console.error(`$ cutover ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [...cli, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0 && !allowFail) process.exit(run.status ?? 1);
  return run.status;
}

const exists = spawnSync(process.execPath, [...cli, 'flags', 'get', flag], { stdio: 'ignore' }).status === 0;
if (!exists) cutover(['flags', 'create', flag]);
cutover([
  'deploy',
  '-c',
  'examples/orders-api/changeset.yaml',
  '--env',
  'production',
  '--strategy',
  'fast-track',
]);

const res = await fetch('http://127.0.0.1:7080/');
console.error(`$ curl http://127.0.0.1:7080/\n${res.status} ${await res.text()}`);
console.error('\nThe service keeps running behind the local runtime. Next:');
console.error('  node dist/src/cli/main.js status          # deploys in ./.cutover');
console.error('  node dist/src/cli/main.js audit verify    # check the journal');
console.error('  node dist/src/cli/main.js runtime stop    # stop the router and the service');
