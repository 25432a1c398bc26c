import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeExecutors, waitForOutput, type Executors } from '../support/executors.js';
import { postgresPerFile, skipUnlessPostgres } from '../support/postgres.js';
import { writeSampleChangeset } from '../support/sample-app.js';

const server = postgresPerFile();

/** A canary that observes long enough to be caught mid-window, and judges on one request. */
const CANARY = 'mode: canary\ncanary: { steps: [5, 50], observe: 8s }\nanalysis: { min_requests: 1 }\n';

/** Two executors (state dirs A and B) on a fresh database, production serving 1.0.0 deployed by A. */
async function servingFromA(lockTtl?: string, left?: Executors) {
  await left?.dispose(); // what a failed test before this one left
  const world = await makeExecutors(await (await server()).createDatabase(), { lockTtl });
  const [a, b] = [world.executor('a'), world.executor('b')];
  // one flag store in the database: created by A, seen by B
  assert.equal((await a.cli(['flags', 'create', 'ff-shop'])).code, 0);
  const v1 = writeSampleChangeset(world.dir, 'v1', { version: '1.0.0' });
  const first = await a.cli(['deploy', '-c', v1, '--env', 'production', '--strategy', 'fast-track']);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(await world.version(), '1.0.0');
  return { world, a, b };
}

/** Every deploy in the database, oldest first, with its last event. */
async function deploys(world: Executors) {
  return world.query<{ deploy_id: string; last_type: string }>(
    'SELECT deploy_id, last_type FROM cutover.deploys ORDER BY first_id',
  );
}

describe(
  'several executors on one PostgreSQL database and one local runtime',
  { skip: skipUnlessPostgres() },
  () => {
    let world: Executors | undefined;
    after(async () => world?.dispose());

    test('SIGKILL of executor A mid-canary: recover from executor B rolls it back; 1.0.0 serves; audit verify passes', async () => {
      const { world: w, a, b } = await servingFromA(undefined, world);
      world = w;
      const canary = join(w.dir, 'canary.yaml');
      writeFileSync(canary, CANARY);
      const v2 = writeSampleChangeset(w.dir, 'v2', { version: '2.0.0' });
      const running = a.start(['deploy', '-c', v2, '--env', 'production', '--strategy', canary]);
      await waitForOutput(running, /observing the canary at 5 %/);
      running.child.kill('SIGKILL');
      await running.done;
      const [, killed] = await deploys(w);
      assert.ok(killed && !/SUCCEEDED|FAILED/.test(killed.last_type), `under way: ${killed?.last_type}`);

      const recover = await b.cli(['recover', '--output', 'json']);
      assert.equal(recover.code, 0, recover.stderr);
      const [rolledBack] = JSON.parse(recover.stdout).recovered;
      assert.equal(rolledBack.deploy_id, killed.deploy_id);
      assert.equal(rolledBack.rollback.status, 'success');
      for (let i = 0; i < 20; i++) assert.equal(await w.version(), '1.0.0');
      const verify = await b.cli(['audit', 'verify']);
      assert.match(verify.stdout, /^journal OK: \d+ rows, hash chain intact/, verify.stderr);
      await w.dispose();
      world = undefined;
    });

    test('SIGSTOP of A past its lease: B takes over and deploys; A, continued, is refused its next append and stops', async () => {
      const { world: w, a, b } = await servingFromA('2s', world);
      world = w;
      const canary = join(w.dir, 'canary.yaml');
      writeFileSync(canary, CANARY);
      const v2 = writeSampleChangeset(w.dir, 'v2', { version: '2.0.0' });
      const stalled = a.start(['deploy', '-c', v2, '--env', 'production', '--strategy', canary]);
      await waitForOutput(stalled, /observing the canary at 5 %/);
      const windowEnds = Date.now() + 8_000;
      stalled.child.kill('SIGSTOP');
      try {
        await sleep(3_000); // past the 2 s lease
        const v3 = writeSampleChangeset(w.dir, 'v3', { version: '3.0.0' });
        const taker = await b.cli(['deploy', '-c', v3, '--env', 'production', '--strategy', 'fast-track']);
        assert.equal(taker.code, 0, taker.stderr);
        assert.match(
          taker.stderr,
          /took over production's lock from .* pid \d+ \(cutover deploy\): expired at/,
        );
        // A wakes with its observation window over, so its next act is to journal the analysis
        await sleep(Math.max(0, windowEnds - Date.now()));
      } finally {
        stalled.child.kill('SIGCONT');
      }
      const refused = await stalled.done;
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(
        refused.stderr,
        /\ncutover: E_STALE_FENCING_TOKEN: deploy \S+: append refused: the lease on production with fencing token \d+ was taken over \(the current token is \d+\); this executor stalled past its lease and stops\n$/,
      );

      assert.equal(await w.version(), '3.0.0');
      const [, aDeploy, bDeploy] = await deploys(w);
      assert.equal(bDeploy?.last_type, 'DEPLOY_SUCCEEDED');
      const events = await w.query<{ type: string; data: string }>(
        'SELECT type, data FROM cutover.events WHERE deploy_id = $1 ORDER BY seq',
        [aDeploy!.deploy_id],
      );
      const takeover = events.find((e) => e.type === 'LOCK_TAKEN_OVER');
      assert.ok(takeover, events.map((e) => e.type).join(' '));
      const { previous_holder, new_holder } = JSON.parse(takeover.data);
      assert.match(previous_holder, new RegExp(`pid ${stalled.child.pid} \\(cutover deploy\\)`));
      assert.match(new_holder, /pid \d+ \(cutover deploy\)/);
      assert.notEqual(previous_holder, new_holder);
      // B rolled A's canary back before deploying: A's deploy is over, and nothing of A's came after
      assert.match(aDeploy!.last_type, /^DEPLOY_FAILED$/);
      assert.ok(!events.some((e) => e.type === 'ANALYSIS_RESULT'), 'the stalled analysis was not journaled');
      const verify = await b.cli(['audit', 'verify']);
      assert.match(verify.stdout, /^journal OK: \d+ rows, hash chain intact/, verify.stderr);
      assert.equal((await b.cli(['lock', 'status'])).stdout, 'no environment is locked\n');
      // the shared runtime saw the database's tokens on the executors' changes: B's lease last
      const [identity] = await w.query<{ id: string }>('SELECT id FROM cutover.store_identity');
      const [fence] = await w.query<{ token: string }>(
        "SELECT token FROM cutover.fences WHERE environment = 'production'",
      );
      const seen = JSON.parse(readFileSync(join(w.dir, 'runtime', 'fences.json'), 'utf8'));
      assert.deepEqual(seen, { [identity!.id]: { production: Number(fence!.token) } });
      await w.dispose();
      world = undefined;
    });
  },
);
