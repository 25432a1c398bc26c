import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeExecutors, waitForOutput, type Executors } from '../support/executors.js';
import { postgresPerFile, skipUnlessPostgres } from '../support/postgres.js';
import { writeSampleChangeset } from '../support/sample-app.js';

// Its own file: these tests stop the file's PostgreSQL server, which no other test may share.
const server = postgresPerFile();
const CANARY =
  'mode: canary\ncanary: { steps: [5, 100], observe: 4s }\nanalysis: { min_requests: 1, on_inconclusive: pass-with-warning }\n';

let world: Executors | undefined;
after(async () => world?.dispose());

/** Production serving 1.0.0, and a canary deploy of 2.0.0 by executor A caught observing. */
async function canaryObserving() {
  await world?.dispose(); // what a failed test before this one left
  world = await makeExecutors(await (await server()).createDatabase());
  const w = world;
  const [a, b] = [w.executor('a'), w.executor('b')];
  for (const e of [a, b]) assert.equal((await e.cli(['flags', 'create', 'ff-shop'])).code, 0);
  const v1 = writeSampleChangeset(w.dir, 'v1', { version: '1.0.0' });
  assert.equal(
    (await a.cli(['deploy', '-c', v1, '--env', 'production', '--strategy', 'fast-track'])).code,
    0,
  );
  const canary = join(w.dir, 'canary.yaml');
  writeFileSync(canary, CANARY);
  const v2 = writeSampleChangeset(w.dir, 'v2', { version: '2.0.0' });
  const running = a.start(['deploy', '-c', v2, '--env', 'production', '--strategy', canary]);
  await waitForOutput(running, /observing the canary at 5 %/);
  return { w, a, b, running };
}

test(
  'PostgreSQL stopped mid-deploy and started again within the patience: the deploy finishes',
  { skip: skipUnlessPostgres() },
  async () => {
    const pg = await server();
    const { w, a, running } = await canaryObserving();
    await pg.halt();
    try {
      await sleep(6_000); // past the 4 s window: the analysis waits for the journal
    } finally {
      await pg.resume();
    }
    const done = await running.done;
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stderr, /PostgreSQL \(\$TEST_DATABASE_URL\) is unavailable: .*; waiting up to \d+ s/);
    assert.match(done.stderr, /the journal is available again after \d+ s/);
    assert.equal(await w.version(), '2.0.0');
    // A's: the anchor (high-water mark) is per state dir, and B has written nothing yet
    const verify = await a.cli(['audit', 'verify']);
    assert.match(verify.stdout, /^journal OK: \d+ rows, hash chain intact/, verify.stderr);
    await w.dispose();
    world = undefined;
  },
);

test(
  'PostgreSQL not back: the deploy stops with E_STATE_UNAVAILABLE; recover once it is back rolls it back',
  { skip: skipUnlessPostgres() },
  async () => {
    const pg = await server();
    const { w, b, running } = await canaryObserving();
    await pg.halt();
    let done;
    try {
      done = await running.done;
    } finally {
      await pg.resume();
    }
    assert.equal(done.code, 1, done.stderr);
    assert.match(
      done.stderr,
      /\ncutover: E_STATE_UNAVAILABLE: could not check the lease on production: PostgreSQL \(\$TEST_DATABASE_URL\) is unavailable: [^\n]*\n$/,
    );
    // Nobody could be sure the lease was still A's, so A left the canary as it was
    const recover = await b.cli(['recover', '--output', 'json']);
    assert.equal(recover.code, 0, recover.stderr);
    const [rolledBack] = JSON.parse(recover.stdout).recovered;
    assert.equal(rolledBack.rollback.status, 'success');
    for (let i = 0; i < 20; i++) assert.equal(await w.version(), '1.0.0');
    const verify = await b.cli(['audit', 'verify']);
    assert.match(verify.stdout, /^journal OK: \d+ rows, hash chain intact/, verify.stderr);
  },
);
