import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { makeExecutors, type Executors } from '../support/executors.js';
import { postgresPerFile, skipUnlessPostgres } from '../support/postgres.js';
import { writeSampleChangeset } from '../support/sample-app.js';

const server = postgresPerFile();
// Issue 14 asks for 60 deploys over 5 environments; on two shared cores that takes several
// minutes, so the suite runs 3 executors × 8 = 24 over 4, which collide just as well: executor c
// stays on e1 while a and b rotate through all of them, meeting it there and each other.
// CUTOVER_FULL_ACCEPTANCE=1 runs the issue's own scale: 3 × 20 = 60 over 5.
const FULL = process.env.CUTOVER_FULL_ACCEPTANCE === '1';
const ENVIRONMENTS = FULL ? ['e1', 'e2', 'e3', 'e4', 'e5'] : ['e1', 'e2', 'e3', 'e4'];
const ROUNDS = FULL ? 20 : 8;

let world: Executors | undefined;
after(async () => world?.dispose());

test(
  '3 executors, one database, one runtime: concurrent deploys never overlap per environment; all accounted for',
  { skip: skipUnlessPostgres() },
  async () => {
    world = await makeExecutors(await (await server()).createDatabase(), { environments: ENVIRONMENTS });
    const w = world;
    const executors = ['a', 'b', 'c'].map((name) => w.executor(name));
    // one flag store in the database: created once, seen by all three
    assert.equal((await executors[0]!.cli(['flags', 'create', 'ff-shop'])).code, 0);
    const outcomes = await Promise.all(
      executors.map(async (e, x) => {
        const runs = [];
        for (let round = 0; round < ROUNDS; round++) {
          const environment = ENVIRONMENTS[(round + x) % (x === 2 ? 1 : ENVIRONMENTS.length)]!;
          const version = `1.${x}.${round}`;
          const changeset = writeSampleChangeset(w.dir, `${e.name}-${round}`, { version });
          const run = await e.cli([
            'deploy',
            '-c',
            changeset,
            '--env',
            environment,
            '--strategy',
            'fast-track',
          ]);
          runs.push({ environment, version, ...run });
        }
        return runs;
      }),
    );
    const all = outcomes.flat();
    const succeeded = all.filter((r) => r.code === 0);
    const refused = all.filter((r) => r.code !== 0);
    for (const r of refused)
      assert.match(r.stderr, /^cutover: E_LOCK_HELD: /m, `neither success nor a clean refusal:\n${r.stderr}`);

    const rows = await w.query<{ environment: string; first_at: string; last_at: string; last_type: string }>(
      'SELECT environment, first_at, last_at, last_type FROM cutover.deploys ORDER BY first_at',
    );
    assert.equal(rows.length, succeeded.length, 'one journaled deploy per success, none for a refusal');
    for (const row of rows) assert.equal(row.last_type, 'DEPLOY_SUCCEEDED');
    for (const environment of ENVIRONMENTS) {
      const mine = rows.filter((r) => r.environment === environment);
      for (let i = 1; i < mine.length; i++)
        assert.ok(
          mine[i]!.first_at >= mine[i - 1]!.last_at,
          `${environment}: a deploy began at ${mine[i]!.first_at}, before the one before it ended at ${mine[i - 1]!.last_at}`,
        );
      const shipped = succeeded.filter((r) => r.environment === environment).map((r) => r.version);
      if (shipped.length > 0) assert.ok(shipped.includes(await w.version(environment)), environment);
    }
    console.log(`${succeeded.length} deployed, ${refused.length} refused E_LOCK_HELD`);
    assert.ok(succeeded.length >= ENVIRONMENTS.length, 'every environment got deploys through');
    const verify = await executors[0]!.cli(['audit', 'verify']);
    assert.match(verify.stdout, /^journal OK: \d+ rows, hash chain intact/, verify.stderr);
  },
);
