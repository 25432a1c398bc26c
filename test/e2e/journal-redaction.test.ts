import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { DEFAULT_DOD_STEPS } from '../../src/core/schema/config.js';
import { resultOf } from '../support/cli.js';
import { freePort } from '../support/ports.js';
import { makeServingProject, type ServingProject } from '../support/serving-project.js';

// The value of the variable cutover.yaml names as a registry's password_env.
const PASSWORD = 'hunter2-Registry-9f3c';

let project: ServingProject;
before(async () => {
  project = await makeServingProject();
  // A second environment pushes to a registry with a password: configured, so it is a secret
  // everywhere (the deploy below goes to production and never reaches a registry).
  writeFileSync(
    join(project.dir, 'cutover.yaml'),
    stringify({
      environments: {
        production: { target: { type: 'local', port: project.ports.production, health_timeout: '10s' } },
        mirror: {
          target: { type: 'local', port: await freePort() },
          registry: {
            type: 'oci-distribution',
            url: 'http://127.0.0.1:9',
            username: 'ci',
            password_env: 'CUTOVER_TEST_REGISTRY_PASSWORD',
          },
        },
      },
      baseline: { window: '10s', min_samples: 1 },
    }),
  );
});
after(() => project.dispose());

test('a failing build that prints the registry password: journal, log, result and stderr hold *** instead', async () => {
  // The build reads it from a file, not from its environment: whether the build command
  // inherits the CLI's environment is not what this test is about.
  writeFileSync(join(project.dir, 'registry-password'), `${PASSWORD}\n`);
  const changeset = join(project.dir, 'leaky.yaml');
  writeFileSync(
    changeset,
    stringify({
      id: 'leaky',
      service: 'shop',
      version: '1.1.0',
      commit: '1234567890abcdef',
      build: { command: 'echo "docker login -u ci -p $(cat registry-password)"; exit 3', output: './dist' },
      dod: DEFAULT_DOD_STEPS.map((step) => ({ step, done: true })),
      feature_flag: 'ff-shop',
      rollback_plan: { kind: 'previous-version' },
    }),
  );
  const env = { CUTOVER_TEST_REGISTRY_PASSWORD: PASSWORD };
  const run = await project.cli(
    ['deploy', '-c', changeset, '--env', 'production', '--strategy', 'fast-track', '--output', 'json'],
    env,
  );
  assert.equal(run.code, 1, run.stderr);
  const r = resultOf(run);
  assert.equal(r.failed_step, 'BUILD');
  assert.match(r.reason, /docker login -u ci -p \*\*\*/);
  const log = await project.cli(['log', r.deploy_id], env);
  assert.equal(log.code, 0, log.stderr);
  assert.match(log.stdout, /BUILD_FAILED/);
  const journal = ['journal.db', 'journal.db-wal']
    .map((f) => join(project.stateDir, f))
    .filter(existsSync)
    .map((f) => readFileSync(f).toString('latin1'))
    .join('');
  for (const [what, text] of Object.entries({
    stdout: run.stdout,
    stderr: run.stderr,
    log: log.stdout,
    'journal bytes': journal,
  }))
    assert.ok(!text.includes(PASSWORD), `${what} holds the password`);
  const verify = await project.cli(['audit', 'verify']);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
});
