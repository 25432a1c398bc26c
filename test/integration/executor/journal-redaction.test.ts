import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { changesetSchema } from '../../../src/core/schema/changeset.js';
import { DEFAULT_DOD_STEPS } from '../../../src/core/schema/config.js';
import { strategySchema } from '../../../src/core/schema/strategy.js';
import { driveDeploy } from '../../../src/executor/drive-deploy.js';
import { startDeploy } from '../../../src/executor/start-deploy.js';
import { createModelWorld } from '../../support/model-world.js';

const SECRET = 'reg-pw-Zq8x31kV';
// The build fails before anything is applied, so nothing needs to serve.
const NOTHING = { environment: 'production', versions: [] };

function changeset(extra: Record<string, unknown>) {
  return changesetSchema.parse({
    id: 'a',
    service: 'svc',
    version: '2.0.0',
    commit: 'abc1234',
    dod: DEFAULT_DOD_STEPS.map((step) => ({ step, done: true })),
    feature_flag: 'ff-a',
    rollback_plan: { kind: 'previous-version' },
    ...extra,
  });
}

/** Every byte SQLite holds for the journal: the main file and its write-ahead log. */
function journalBytes(dir: string): string {
  return ['journal.db', 'journal.db-wal']
    .map((f) => join(dir, f))
    .filter(existsSync)
    .map((f) => readFileSync(f).toString('latin1'))
    .join('');
}

test('a build that prints a configured secret and fails: the journal and the result hold *** instead', async () => {
  const world = createModelWorld(new Map(), NOTHING, { secrets: [SECRET] });
  try {
    await world.flags.create('ff-a');
    writeFileSync(join(world.dir, 'registry-password'), `${SECRET}\n`);
    const cs = changeset({
      build: { command: 'echo "login as ci:$(cat registry-password)"; exit 3', output: './dist' },
    });
    const strategy = strategySchema.parse({ mode: 'fast-track' });
    const input = { changeset: cs, baseDir: world.dir, strategy, environment: 'production' };
    const rec = await startDeploy(world.ctx, input, 'd-secret');
    const result = await driveDeploy(world.ctx, rec);
    assert.equal(result.failed_step, 'BUILD');
    assert.match(result.reason!, /login as ci:\*\*\*/);
    assert.doesNotMatch(JSON.stringify(result), new RegExp(SECRET));
    const rows = await world.ctx.journal.rows('d-secret');
    assert.ok(rows.some((r) => r.event.type === 'BUILD_FAILED'));
    assert.doesNotMatch(JSON.stringify(rows), new RegExp(SECRET));
    assert.doesNotMatch(journalBytes(world.dir), new RegExp(SECRET));
    // Redacted before hashing: the chain verifies as written.
    assert.equal((await world.ctx.journal.verify()).ok, true);
  } finally {
    await world.dispose();
  }
});

test('a changeset that spells out a configured secret is refused before anything is journaled', async () => {
  const world = createModelWorld(new Map(), NOTHING, { secrets: [SECRET] });
  try {
    const cs = changeset({
      source: world.source('a'),
      run: { command: ['node', 'x.js'], env: { PW: SECRET } },
    });
    const strategy = strategySchema.parse({ mode: 'fast-track' });
    const input = { changeset: cs, baseDir: world.dir, strategy, environment: 'production' };
    await assert.rejects(startDeploy(world.ctx, input, 'd-secret'), {
      code: 'E_INVALID_INPUT',
      message: /contains the value of a secret that cutover\.yaml names/,
    });
    assert.deepEqual(await world.ctx.journal.rows('d-secret'), []);
  } finally {
    await world.dispose();
  }
});
