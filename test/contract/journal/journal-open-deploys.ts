import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { DeployEvent } from '../../../src/core/events.js';
import type { Journal } from '../../../src/ports/journal.js';
import { requested } from '../../support/events.js';
import { withJournal, type JournalFactory } from './journal-contract.js';

const AT = new Date('2026-02-24T10:00:00.000Z');
const succeeded: DeployEvent = { type: 'DEPLOY_SUCCEEDED' };

async function openIds(journal: Journal): Promise<string[]> {
  return (await journal.openDeploys()).map((d) => d.deploy_id);
}

/** The index recovery reads on every command: open deploys until the executor settles them. */
export function describeJournalOpenDeploys(factory: JournalFactory): void {
  it('openDeploys lists every deploy until it is settled, by first append, as deploys summarizes it', () =>
    withJournal(factory, async ({ journal }) => {
      await journal.append('d-2', 0, AT, requested());
      await journal.append('d-1', 0, AT, requested());
      await journal.append('d-2', 1, AT, succeeded);
      assert.deepEqual(await journal.openDeploys(), await journal.deploys());
      await journal.settle([{ deployId: 'd-2', seq: 2 }]);
      assert.deepEqual(await openIds(journal), ['d-1']);
      assert.deepEqual(
        (await journal.deploys()).map((d) => d.deploy_id),
        ['d-2', 'd-1'],
        'settling takes a deploy out of the open ones only',
      );
    }));

  it('a row appended to a settled deploy opens it again; settling at an older seq leaves it open', () =>
    withJournal(factory, async ({ journal }) => {
      await journal.append('d-1', 0, AT, requested());
      await journal.append('d-1', 1, AT, succeeded);
      await journal.settle([{ deployId: 'd-1', seq: 2 }]);
      await journal.append('d-1', 2, AT, {
        type: 'ROLLBACK_REQUESTED',
        by: 'ops',
        reason: 'r',
        force: false,
      });
      assert.deepEqual(await openIds(journal), ['d-1']);
      await journal.settle([{ deployId: 'd-1', seq: 2 }]);
      assert.deepEqual(await openIds(journal), ['d-1'], 'it moved past seq 2 before it was settled');
      await journal.settle([
        { deployId: 'd-1', seq: 3 },
        { deployId: 'd-none', seq: 1 },
      ]);
      assert.deepEqual(await openIds(journal), []);
      await journal.settle([]);
    }));

  it('what was settled stays settled for the next process; a journal opened for reading ignores settle', () =>
    withJournal(factory, async (h) => {
      await h.journal.append('d-1', 0, AT, requested());
      await h.journal.append('d-2', 0, AT, requested());
      await h.journal.settle([{ deployId: 'd-1', seq: 1 }]);
      await h.reopen('write');
      assert.deepEqual(await openIds(h.journal), ['d-2']);
      const reader = await h.reopen('read');
      assert.deepEqual(await openIds(reader), ['d-2']);
      await reader.settle([{ deployId: 'd-2', seq: 1 }]);
      assert.deepEqual(await openIds(await h.reopen('write')), ['d-2']);
    }));
}
