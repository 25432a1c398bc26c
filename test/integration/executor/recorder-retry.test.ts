import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CutoverError } from '../../../src/core/errors.js';
import { DeployRecorder } from '../../../src/executor/recorder.js';
import type { Journal } from '../../../src/ports/journal.js';
import { requested } from '../../support/events.js';
import { STABLE } from '../../support/journal-outage-world.js';
import { createModelWorld } from '../../support/model-world.js';

test('an append reported unavailable that did commit is kept once, not written twice', async () => {
  const world = createModelWorld(new Map(), STABLE);
  try {
    const real = world.ctx.journal;
    let fail = true;
    // A mock fault, since a real file cannot be made to show it on demand: the row is durable but
    // the caller is told the journal failed (an fsync error reported after the write).
    const journal: Journal = {
      ...real,
      async append(...args) {
        const row = await real.append(...args);
        if (!fail) return row;
        fail = false;
        throw new CutoverError('E_JOURNAL_UNAVAILABLE', 'journal j is unavailable: disk I/O error');
      },
    };
    const rec = await DeployRecorder.start({ ...world.ctx, journal }, 'd1', requested());
    assert.equal(rec.state.lastSeq, 1);
    const second = await rec.record({ type: 'PREFLIGHT_START' });
    assert.equal(second.seq, 2);
    assert.deepEqual(
      (await real.rows('d1')).map((r) => r.event.type),
      ['DEPLOY_REQUESTED', 'PREFLIGHT_START'],
    );
  } finally {
    await world.dispose();
  }
});
