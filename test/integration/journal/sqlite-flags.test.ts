import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openSqliteFlags } from '../../../src/adapters/flags/sqlite-flags.js';
import { makeTempDir } from '../../support/tmp.js';

const tmp = makeTempDir();
after(() => tmp.cleanup());

test('a flag is off everywhere until set, per environment, and survives reopening', async () => {
  const path = join(tmp.dir, 'flags.db');
  const flags = openSqliteFlags(path);
  assert.equal(await flags.get('ff-1', 'production'), undefined);
  await flags.create('ff-1');
  await assert.rejects(flags.create('ff-1'), { code: 'E_WRONG_STATE' });
  assert.deepEqual(await flags.get('ff-1', 'production'), { state: 'off', percentage: 0 });
  await flags.set('ff-1', 'production', { state: 'on', percentage: 5 });
  await flags.set('ff-1', 'production', { state: 'on', percentage: 5 });
  await flags.dispose?.();
  const again = openSqliteFlags(path);
  assert.deepEqual(await again.get('ff-1', 'production'), { state: 'on', percentage: 5 });
  assert.deepEqual(await again.get('ff-1', 'staging'), { state: 'off', percentage: 0 });
  assert.deepEqual(await again.list(), [
    { name: 'ff-1', environments: { production: { state: 'on', percentage: 5 } } },
  ]);
  await again.dispose?.();
});

test('unknown flags and bad percentages are refused', async () => {
  const flags = openSqliteFlags(join(tmp.dir, 'f2.db'));
  await assert.rejects(flags.set('nope', 'production', { state: 'on', percentage: 100 }), {
    code: 'E_FLAG_MISSING',
  });
  await flags.create('f');
  await assert.rejects(flags.set('f', 'production', { state: 'on', percentage: 150 }), {
    code: 'E_INVALID_INPUT',
  });
  await flags.dispose?.();
});
