import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { DEFAULT_DOD_STEPS } from '../../src/core/schema/config.js';
import { resultOf, type CliRun } from '../support/cli.js';
import { getJson, makeProject } from '../support/project.js';

// What the operator's shell holds when they run cutover: a registry password that cutover.yaml
// names (password_env), a token only a build needs, and a secret of their own.
const PASSWORD = 'reg-pa55word-e2e-41c7';
const SECRET = 'my-secret-e2e-9d02b6';
const TOKEN = 'npm_tok_e2e_77aa13';
const SECRETS = new RegExp(`${PASSWORD}|${SECRET}|${TOKEN}`);

// The allow-lists as the README documents them (every LC_* is allowed too).
const BASE = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR'];
// fork() adds the IPC channel's fd and mode to a router process's environment.
const DAEMON = [...BASE, 'CUTOVER_ROUTER_PROCESSES', 'NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE'];
// The shell sets PWD, OLDPWD, SHLVL and _ itself.
const BUILD = [...BASE, 'SHELL', 'TERM', 'CI', 'SOURCE_DATE_EPOCH', 'PWD', 'OLDPWD', 'SHLVL', '_'];

/** `/environ?of=parent|self|<pid>` answers the environment of that process, read from /proc. */
const SERVER = `const http = require('node:http');
const fs = require('node:fs');
http.createServer((req, res) => {
  const url = new URL(req.url, 'http://app');
  if (url.pathname === '/health') return res.end('ok');
  const of = url.searchParams.get('of');
  const pid = of === 'parent' ? process.ppid : of === 'self' ? process.pid : Number(of);
  let environ = null;
  try { environ = fs.readFileSync('/proc/' + pid + '/environ', 'latin1').split('\\0').filter(Boolean); } catch {}
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ pid, environ }));
}).listen(Number(process.env.PORT), '127.0.0.1');
if (process.env.LEAK_AT_START) { console.error('cannot log in with ' + fs.readFileSync('secret.txt', 'utf8')); process.exit(2); }
`;

let project: Awaited<ReturnType<typeof makeProject>>;

before(async () => {
  project = await makeProject();
  mkdirSync(join(project.dir, 'app'), { recursive: true });
  writeFileSync(join(project.dir, 'app', 'server.js'), SERVER);
  writeFileSync(join(project.dir, 'app', 'secret.txt'), `deployer:${PASSWORD}`);
  const target = (port: number) => ({ type: 'local', port, health_timeout: '10s', drain_timeout: '2s' });
  const registry = {
    type: 'oci-distribution',
    url: 'http://127.0.0.1:9',
    repository: 'team/shop',
    username: 'deployer',
    password_env: 'REGISTRY_PASSWORD',
  };
  writeFileSync(
    join(project.dir, 'cutover.yaml'),
    stringify({
      environments: {
        production: { target: target(project.ports.production) },
        staging: { target: target(project.ports.staging), registry },
      },
    }),
  );
  assert.equal((await project.cli(['flags', 'create', 'ff-env'])).code, 0);
});
after(() => project.dispose());

function deploy(version: string, build: Record<string, unknown>, runEnv: Record<string, string> = {}) {
  const changeset = {
    id: version,
    service: 'shop',
    version,
    commit: '1234567890abcdef',
    build: { output: './dist', ...build },
    dod: DEFAULT_DOD_STEPS.map((step) => ({ step, done: true })),
    feature_flag: 'ff-env',
    rollback_plan: { kind: 'previous-version' },
    run: { command: ['node', 'server.js'], env: runEnv },
  };
  const file = join(project.dir, `cs-${version}.yaml`);
  writeFileSync(file, stringify(changeset));
  const args = ['deploy', '-c', file, '--env', 'production', '--strategy', 'fast-track', '--output', 'json'];
  return project.cli(args, {
    REGISTRY_PASSWORD: PASSWORD,
    MY_SECRET: SECRET,
    NPM_TOKEN: TOKEN,
    CUTOVER_ROUTER_PROCESSES: '2',
  });
}

/** The names in an environment that are neither in `allowed` nor a locale setting. */
function unlisted(environ: string[], allowed: readonly string[]): string[] {
  return environ
    .map((v) => v.slice(0, v.indexOf('=')))
    .filter((n) => !allowed.includes(n) && !n.startsWith('LC_'));
}

const copyApp = 'mkdir -p dist && cp app/* dist/';

test('the daemon, its router process and the app hold nothing of the CLI environment', async () => {
  const run = await deploy('1.0.0', { command: copyApp });
  assert.equal(run.code, 0, run.stderr);
  const status = JSON.parse((await project.cli(['runtime', 'status', '--output', 'json'])).stdout);
  assert.equal(status.router_pids.length, 1, 'CUTOVER_ROUTER_PROCESSES=2 reached the daemon');
  const environOf = async (of: string | number) => {
    const { body } = await getJson(`${project.url()}environ?of=${of}`);
    assert.ok(Array.isArray(body.environ), `the app could not read /proc/${body.pid}/environ`);
    return body as { pid: number; environ: string[] };
  };
  const parent = await environOf('parent');
  assert.equal(parent.pid, status.pid, "the app's parent is the daemon");
  for (const of of [parent.pid, status.router_pids[0], 'self']) {
    const { pid, environ } = await environOf(of);
    assert.doesNotMatch(environ.join('\n'), SECRETS, `a secret is in /proc/${pid}/environ (${of})`);
    if (of !== 'self') assert.deepEqual(unlisted(environ, DAEMON), [], `/proc/${pid}/environ`);
  }
});

test('a build command sees only the allow-list', async () => {
  const run = await deploy('1.1.0', { command: `env > build-env-1.txt && ${copyApp}` });
  assert.equal(run.code, 0, run.stderr);
  const buildEnv = readFileSync(join(project.dir, 'build-env-1.txt'), 'utf8').trim().split('\n');
  assert.doesNotMatch(buildEnv.join('\n'), SECRETS, 'a secret reached the build command');
  assert.deepEqual(unlisted(buildEnv, BUILD), []);
});

test('a build gets the variables its changeset declares in build.pass_env', async () => {
  const run = await deploy('1.2.0', {
    command: `env > build-env-2.txt && ${copyApp}`,
    pass_env: ['NPM_TOKEN'],
  });
  assert.equal(run.code, 0, run.stderr);
  const buildEnv = readFileSync(join(project.dir, 'build-env-2.txt'), 'utf8').trim().split('\n');
  assert.ok(buildEnv.includes(`NPM_TOKEN=${TOKEN}`));
  assert.doesNotMatch(buildEnv.join('\n'), new RegExp(`${PASSWORD}|${SECRET}`));
});

function assertRedacted(run: CliRun, step: string): void {
  assert.equal(run.code, 1, run.stderr);
  const r = resultOf(run);
  assert.equal(r.failed_step, step);
  assert.doesNotMatch(run.stdout + run.stderr, SECRETS);
  assert.match(r.reason, /deployer:\*\*\*/);
  assert.match(run.stderr, /deployer:\*\*\*/);
}

test('a failing build that prints the registry password reports ***', async () => {
  const run = await deploy('1.3.0', { command: 'cat app/secret.txt; echo; exit 1' });
  assertRedacted(run, 'BUILD');
});

test('an app that prints the registry password as it fails to start: its log tail reports ***', async () => {
  const run = await deploy('1.4.0', { command: copyApp }, { LEAK_AT_START: 'yes' });
  assertRedacted(run, 'APPLY');
  assert.match(resultOf(run).reason, /exited with code 2/);
});
