import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createDirectoryBuilder } from '../../../src/adapters/builder/directory-image.js';
import { CutoverError } from '../../../src/core/errors.js';
import { changesetSchema } from '../../../src/core/schema/changeset.js';
import { flattenIssues } from '../../../src/core/schema/issues.js';
import { makeChangeset, writeSourceTree } from '../../support/oci-images.js';
import { makeTempDir } from '../../support/tmp.js';

// The allow-list as the README documents it (every LC_* too), and what the shell sets itself.
const ALLOWED = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR'].concat(
  ['SHELL', 'TERM', 'CI', 'SOURCE_DATE_EPOCH'],
  ['PWD', 'OLDPWD', 'SHLVL', '_'],
);

const PASSWORD = 'reg-pa55word-7f3a9c';
const SECRET = 'my-secret-b81d44e2';
const TOKEN = 'npm_tok_5c0ffee5c0ffee';

/** The CLI's environment as a careless shell would have it: tools, locale, and secrets. */
const cliEnv: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: '/home/deployer',
  LANG: 'C.UTF-8',
  LC_TIME: 'C',
  TERM: 'xterm',
  CI: 'true',
  REGISTRY_PASSWORD: PASSWORD,
  MY_SECRET: SECRET,
  NPM_TOKEN: TOKEN,
  AWS_SECRET_ACCESS_KEY: 'aws-2b7e151628aed2a6',
};

describe('directory builder: the build command environment', () => {
  const tmp = makeTempDir('cutover-buildenv-');
  after(() => tmp.cleanup());

  async function build(name: string, command: string, passEnv?: string[], secrets: string[] = []) {
    const base = join(tmp.dir, name);
    await writeSourceTree(base, { 'src/main.txt': 'hello\n' });
    const changeset = makeChangeset({
      source: undefined,
      build: { command, output: './dist', ...(passEnv ? { pass_env: passEnv } : {}) },
    });
    const builder = createDirectoryBuilder({ env: cliEnv, secrets });
    const result = builder.build({
      changeset,
      baseDir: base,
      workDir: join(base, '.cutover', 'builds'),
      tag: 't',
    });
    return { base, result };
  }

  async function envSeenBy(name: string, passEnv?: string[]): Promise<Map<string, string>> {
    const { base, result } = await build(name, 'mkdir -p dist && env > dist/env.txt', passEnv);
    await result;
    const text = await readFile(join(base, 'dist', 'env.txt'), 'utf8');
    return new Map(
      text
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
  }

  it('gets only the allow-list: no secret of the CLI reaches it', async () => {
    const seen = await envSeenBy('allow-list');
    const unexpected = [...seen.keys()].filter((name) => !ALLOWED.includes(name) && !name.startsWith('LC_'));
    assert.deepEqual(unexpected, []);
    assert.deepEqual(
      [seen.get('HOME'), seen.get('LANG'), seen.get('LC_TIME'), seen.get('TERM'), seen.get('CI')],
      ['/home/deployer', 'C.UTF-8', 'C', 'xterm', 'true'],
    );
    for (const value of seen.values()) {
      assert.ok(![PASSWORD, SECRET, TOKEN].includes(value), `a secret reached the build: ${value}`);
    }
  });

  it('gets the variables the changeset declares in build.pass_env, and only those', async () => {
    const seen = await envSeenBy('pass-env', ['NPM_TOKEN', 'NOT_SET_ANYWHERE']);
    assert.equal(seen.get('NPM_TOKEN'), TOKEN);
    assert.equal(seen.has('NOT_SET_ANYWHERE'), false, 'an unset variable stays unset');
    assert.equal(seen.has('MY_SECRET'), false);
    assert.equal(seen.has('REGISTRY_PASSWORD'), false);
  });

  it('a failing build that prints a secret or a passed value reports *** in message and details', async () => {
    const command = `echo "login with ${PASSWORD}"; echo "token $NPM_TOKEN" >&2; exit 4`;
    const { result } = await build('leak', command, ['NPM_TOKEN'], [PASSWORD]);
    await assert.rejects(result, (err: unknown) => {
      assert.ok(err instanceof CutoverError);
      assert.equal(err.code, 'E_BUILD_FAILED');
      const everything = `${err.message}\n${JSON.stringify(err.details)}`;
      assert.doesNotMatch(everything, new RegExp(`${PASSWORD}|${TOKEN}`));
      assert.match(err.message, /exited with code 4/);
      assert.deepEqual(err.details.output, ['login with ***', 'token ***']);
      assert.equal(err.details.command, 'echo "login with ***"; echo "token $NPM_TOKEN" >&2; exit 4');
      return true;
    });
  });

  it('build.pass_env must hold variable names', () => {
    const changeset = {
      id: '1',
      service: 'shop',
      version: '1.0.0',
      commit: 'abc1234',
      feature_flag: 'ff-shop',
      build: { command: 'make', output: './dist', pass_env: ['NPM_TOKEN', 'NO SUCH=NAME'] },
    };
    const result = changesetSchema.safeParse(changeset);
    assert.equal(result.success, false);
    assert.deepEqual(flattenIssues(result.error?.issues ?? []), [
      'build.pass_env[1]: must be an environment variable name',
    ]);
    const parsed = changesetSchema.parse({
      ...changeset,
      build: { ...changeset.build, pass_env: ['NPM_TOKEN'] },
    });
    assert.deepEqual(parsed.build?.pass_env, ['NPM_TOKEN']);
  });
});
