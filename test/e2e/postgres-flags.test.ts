import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { makeExecutors, type Executors } from '../support/executors.js';
import { postgresPerFile, skipUnlessPostgres } from '../support/postgres.js';
import { writeSampleChangeset } from '../support/sample-app.js';

const server = postgresPerFile();

/** Whether `user` sees `flag` on, asked as a service asks: OFREP on the environment's router. */
async function seenOn(world: Executors, flag: string, user = 'user-1'): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${world.ports.production}/ofrep/v1/evaluate/flags/${flag}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ context: { targetingKey: user } }),
  });
  const body = (await res.json()) as { value?: boolean; errorCode?: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.value!;
}

describe(
  'flags on PostgreSQL, served by a runtime that holds no database credentials',
  { skip: skipUnlessPostgres() },
  () => {
    let world: Executors | undefined;
    after(async () => world?.dispose());

    test('flags set by executor A are listed by B and served over OFREP; B changes them back; a daemon restart serves the same', async () => {
      const url = await (await server()).createDatabase();
      world = await makeExecutors(url);
      const w = world;
      const [a, b] = [w.executor('a'), w.executor('b')];
      assert.equal((await a.cli(['flags', 'create', 'ff-shop'])).code, 0);
      assert.equal((await b.cli(['flags', 'create', 'ff-pay'])).code, 0);
      const twice = await a.cli(['flags', 'create', 'ff-pay']);
      assert.equal(twice.code, 2, twice.stderr);
      assert.match(twice.stderr, /flag "ff-pay" already exists/);

      // B deploys: the target publishes the store's flags to the daemon it starts
      const v1 = writeSampleChangeset(w.dir, 'v1', { version: '1.0.0' });
      const deployed = await b.cli(['deploy', '-c', v1, '--env', 'production', '--strategy', 'fast-track']);
      assert.equal(deployed.code, 0, deployed.stderr);
      assert.equal(await seenOn(w, 'ff-pay'), false);
      assert.equal(await seenOn(w, 'ff-shop'), true, 'the deploy turned its flag on, and that was published');

      const set = await a.cli(['flags', 'set', 'ff-pay', '--env', 'production', '--state', 'on']);
      assert.equal(set.code, 0, set.stderr);
      const listed = await b.cli(['flags', 'list', '--output', 'json']);
      const pay = (JSON.parse(listed.stdout) as { name: string; environments: object }[]).find(
        (f) => f.name === 'ff-pay',
      );
      assert.deepEqual(pay?.environments, { production: { state: 'on', percentage: 100 } });
      assert.equal(await seenOn(w, 'ff-pay'), true);

      assert.equal(
        (await b.cli(['flags', 'set', 'ff-pay', '--env', 'production', '--state', 'off'])).code,
        0,
      );
      assert.equal(await seenOn(w, 'ff-pay'), false);
      assert.equal((await a.cli(['flags', 'set', 'ff-pay', '--env', 'production', '--state', 'on'])).code, 0);

      // `runtime start` publishes nothing: what the restarted daemon serves is what it kept
      assert.equal((await a.cli(['runtime', 'stop', '--env', 'production'])).code, 0);
      assert.equal((await a.cli(['runtime', 'start', '--env', 'production'])).code, 0);
      assert.equal(await seenOn(w, 'ff-pay'), true);
      assert.equal(await seenOn(w, 'ff-shop'), true);

      // neither state dir has a flag store, and the daemon was never given the database's URL
      for (const e of [a, b]) assert.equal(existsSync(join(e.stateDir, 'flags.db')), false);
      const pid = Number(readFileSync(join(w.dir, 'runtime', 'daemon.pid'), 'utf8').trim());
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      assert.ok(
        !environ.includes(url) && !environ.includes('TEST_DATABASE_URL'),
        'no database URL in the daemon',
      );
    });
  },
);
