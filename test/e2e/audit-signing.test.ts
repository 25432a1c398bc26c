import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse, stringify } from 'yaml';
import { deployArgs, type CliRun } from '../support/cli.js';
import { copyStateDir, rehashJournal, runSql, truncateJournal } from '../support/journal-tamper.js';
import { makeProject } from '../support/project.js';
import { writeSampleChangeset } from '../support/sample-app.js';

// The README's way to make the key: openssl, outside the state dir.
let project: Awaited<ReturnType<typeof makeProject>>;
let changeset: string;
const runs: CliRun[] = [];
before(async () => {
  project = await makeProject({ audit: { signing_key: 'keys/audit.pem' } });
  const keys = join(project.dir, 'keys');
  mkdirSync(keys);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('genpkey', '-algorithm', 'ed25519', '-out', join(keys, 'audit.pem'));
  openssl('pkey', '-in', join(keys, 'audit.pem'), '-pubout', '-out', join(keys, 'audit.pub'));
  openssl('genpkey', '-algorithm', 'rsa', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(keys, 'rsa.pem'));
  assert.equal((await cli(['flags', 'create', 'ff-shop'])).code, 0);
  changeset = writeSampleChangeset(project.dir, 'one', { version: '1.0.0' });
  for (const version of ['1.0.0', '1.1.0']) {
    const run = await deploy(writeSampleChangeset(project.dir, version, { version }));
    assert.equal(run.code, 0, run.stderr);
  }
});
after(() => project.dispose());

async function cli(args: string[]): Promise<CliRun> {
  const run = await project.cli(args);
  runs.push(run);
  return run;
}
const deploy = (file: string, ...extra: string[]) => cli(deployArgs(file, 'fast-track', ...extra));

/** cutover.yaml with another `audit` section, for a verifier or a mistake. */
function configWith(name: string, audit: Record<string, string>): string {
  const config = parse(readFileSync(join(project.dir, 'cutover.yaml'), 'utf8'));
  const file = join(project.dir, name);
  writeFileSync(file, stringify({ ...config, audit }));
  return file;
}

/** A copy of the state dir for one attack, so the attacks do not add up. */
const copyState = (): string => copyStateDir(project.stateDir, project.dir);

async function verifyLine(stateDir: string, code: number, ...extra: string[]): Promise<string> {
  const run = await cli(['--state-dir', stateDir, 'audit', 'verify', ...extra]);
  assert.equal(run.code, code, run.stdout + run.stderr);
  assert.equal(run.stdout.split('\n').length, 2, 'one line');
  return run.stdout;
}

test('each deploy signs the head it leaves; a verifier holding only the public key checks every checkpoint', async () => {
  const anchor = new Database(join(project.stateDir, 'journal-anchor.db'), { readonly: true });
  assert.deepEqual(anchor.prepare('SELECT rows FROM checkpoints ORDER BY rows').all(), [
    { rows: 12 },
    { rows: 24 },
  ]);
  anchor.close();
  const ok =
    /^journal OK: 24 rows, hash chain intact; 2 signed checkpoints verified \(newest: row 24, [^)]*\)\n$/;
  assert.match(await verifyLine(project.stateDir, 0), ok);
  const verifier = configWith('verifier.yaml', { public_key: 'keys/audit.pub' });
  const run = await cli(['--config', verifier, 'audit', 'verify']);
  assert.equal(run.code, 0, run.stdout);
  assert.match(run.stdout, ok);
});

test('cutting rows below a checkpoint is TAMPERED, even with chain_head and the high-water mark rewritten', async () => {
  const dir = copyState();
  truncateJournal(dir, 12);
  runSql(
    join(dir, 'journal-anchor.db'),
    'UPDATE high_water SET rows = 12, hash = (SELECT hash FROM checkpoints WHERE rows = 12)',
  );
  assert.match(
    await verifyLine(dir, 1),
    /^journal TAMPERED: the journal has 12 rows but the checkpoint signed at .* records 24: rows 13 to 24 were removed\n$/,
  );
});

test('a chain rehashed with its anchor rewritten fails the signed checkpoint; a checkpoint edited to match fails its signature', async () => {
  const dir = copyState();
  const { hashes } = rehashJournal(dir, (event) => {
    if (event.type === 'DEPLOY_REQUESTED') event.requested_by = 'someone-else';
  });
  const [at12, at24] = [hashes.get(12), hashes.get(24)];
  runSql(join(dir, 'journal-anchor.db'), `UPDATE high_water SET hash = '${at24}'`);
  assert.match(
    await verifyLine(dir, 1),
    /^journal TAMPERED: row 12 has hash [0-9a-f]{64}, not [0-9a-f]{64} as the checkpoint signed at .* records: the chain up to it was rewritten\n$/,
  );
  runSql(
    join(dir, 'journal-anchor.db'),
    `UPDATE checkpoints SET hash = '${at12}' WHERE rows = 12`,
    `UPDATE checkpoints SET hash = '${at24}' WHERE rows = 24`,
  );
  assert.match(
    await verifyLine(dir, 1),
    /^journal TAMPERED: the checkpoint of row 12 \(.*\) in journal-anchor\.db does not verify with audit key [0-9a-f]{16}: forged, or signed by another key \([0-9a-f]{16}\)\n$/,
  );
});

test('deleting every checkpoint is NOT ANCHORED until the key holder signs the head again', async () => {
  const dir = copyState();
  runSql(join(dir, 'journal-anchor.db'), 'DELETE FROM checkpoints');
  assert.match(
    await verifyLine(dir, 1),
    /^journal NOT ANCHORED: an audit key is configured but journal-anchor\.db holds no checkpoint of the 24 rows: deleted, or the key is new \(cutover audit checkpoint signs the current head\)\n$/,
  );
  const sign = await cli(['--state-dir', dir, 'audit', 'checkpoint']);
  assert.equal(sign.code, 0, sign.stderr);
  assert.match(sign.stdout, /^checkpoint signed: 24:[0-9a-f]{64}\n$/);
  assert.match(await verifyLine(dir, 0), /1 signed checkpoint verified \(newest: row 24/);
});

test('an unusable key stops a deploy before it changes anything: exit 2, one line naming the path', async () => {
  const keys = join(project.dir, 'keys');
  copyFileSync(join(keys, 'audit.pem'), join(project.stateDir, 'audit.pem'));
  const cases: Array<[Record<string, string>, string]> = [
    [
      { signing_key: '.cutover/audit.pem' },
      `audit.signing_key: ${project.stateDir}/audit.pem is inside the state dir ${project.stateDir}: whoever can rewrite the journal could use or replace it; keep it elsewhere`,
    ],
    [
      { public_key: '.cutover/../.cutover/audit.pem' },
      `audit.public_key: ${project.stateDir}/audit.pem is inside the state dir ${project.stateDir}: whoever can rewrite the journal could use or replace it; keep it elsewhere`,
    ],
    [{ signing_key: 'keys/missing.pem' }, `audit.signing_key: cannot read ${keys}/missing.pem: no such file`],
    [
      { signing_key: 'keys/rsa.pem' },
      `audit.signing_key: ${keys}/rsa.pem holds a key of type rsa, not ed25519`,
    ],
    [{ signing_key: 'keys/audit.pub' }, `audit.signing_key: ${keys}/audit.pub is not a PEM private key`],
    [
      { signing_key: 'keys/audit.pem', public_key: 'keys/rsa.pem' },
      `audit.public_key: ${keys}/rsa.pem holds a private key; give its public half (openssl pkey -in KEY -pubout)`,
    ],
  ];
  const rows = () => {
    const db = new Database(join(project.stateDir, 'journal.db'), { readonly: true });
    const n = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as any).n;
    db.close();
    return n;
  };
  const before = rows();
  for (const [i, [audit, message]] of cases.entries()) {
    const run = await cli(['--config', configWith(`bad-${i}.yaml`, audit), ...deployArgs(changeset)]);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr, `cutover: E_INVALID_INPUT: ${message}\n`);
  }
  assert.equal(rows(), before, 'nothing was journaled');
  const missing = await cli([
    '--config',
    configWith('bad-verify.yaml', { public_key: 'keys/missing.pub' }),
    'audit',
    'verify',
  ]);
  assert.equal(missing.code, 2);
  assert.equal(
    missing.stderr,
    `cutover: E_INVALID_INPUT: audit.public_key: cannot read ${keys}/missing.pub: no such file\n`,
  );
});

test('the private key is in no output, journal, anchor or log', async () => {
  const pem = readFileSync(join(project.dir, 'keys', 'audit.pem'), 'utf8');
  const body = pem
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .join('');
  const seed = Buffer.from(createPrivateKey(pem).export({ format: 'jwk' }).d!, 'base64url');
  const secrets = [body, seed.toString('base64'), seed.toString('base64url'), seed.toString('hex')];
  const logs = join(project.stateDir, 'runtime', 'logs');
  const places: Array<[string, string]> = [
    ...runs.map((r, i): [string, string] => [`run ${i}`, r.stdout + r.stderr]),
    ...['journal.db', 'journal-anchor.db', 'runtime/daemon.log', 'locks.db', 'flags.db'].map(
      (f): [string, string] => [f, readFileSync(join(project.stateDir, f)).toString('latin1')],
    ),
    ...readdirSync(logs).map((f): [string, string] => [f, readFileSync(join(logs, f), 'latin1')]),
  ];
  assert.ok(runs.length > 10);
  for (const [where, text] of places)
    for (const secret of secrets) assert.equal(text.includes(secret), false, `key material in ${where}`);
  assert.equal(seed.length, 32);
  assert.equal(readFileSync(join(project.stateDir, 'journal.db')).includes(seed), false);
});
