import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openSqliteFlags } from '../../../src/adapters/flags/sqlite-flags.js';
import { makeTempDir } from '../../support/tmp.js';

// What every Flags adapter must do is in test/contract/flags; this is what `cutover flags list`
// prints from the embedded store.
const tmp = makeTempDir();
after(() => tmp.cleanup());

test('list shows each flag with only the environments that were set, by name', async () => {
  const flags = openSqliteFlags(join(tmp.dir, 'flags.db'));
  try {
    await flags.create('ff-2');
    await flags.create('ff-1');
    await flags.set('ff-1', 'production', { state: 'on', percentage: 5 });
    assert.deepEqual(await flags.list(), [
      { name: 'ff-1', environments: { production: { state: 'on', percentage: 5 } } },
      { name: 'ff-2', environments: {} },
    ]);
  } finally {
    await flags.dispose?.();
  }
});
