import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CutoverError } from '../../../src/core/errors.js';
import type { DeployEvent } from '../../../src/core/events.js';
import { requested } from '../../support/events.js';
import { withJournal, type JournalFactory } from './journal-contract.js';

const at = (second: number) => new Date(Date.UTC(2026, 1, 24, 10, 0, second));

function requestedIn(environment: string): DeployEvent {
  const event = requested();
  return event.type === 'DEPLOY_REQUESTED' ? { ...event, environment } : event;
}

/** What `status` and `log` find deploys by: the summary list and id prefixes. */
export function describeJournalIndex(factory: JournalFactory): void {
  it('deploys lists each deploy once, by first append, with its environment, times, last type and count', () =>
    withJournal(factory, async ({ journal }) => {
      await journal.append('0193-b', 0, at(1), requested());
      await journal.append('0193-a', 0, at(2), requestedIn('staging'));
      await journal.append('0193-b', 1, at(3), { type: 'PREFLIGHT_START' });
      await journal.append('0193-b', 2, at(4), { type: 'DEPLOY_SUCCEEDED' });
      const b = {
        deploy_id: '0193-b',
        environment: 'production',
        first_at: at(1).toISOString(),
        last_at: at(4).toISOString(),
        last_type: 'DEPLOY_SUCCEEDED',
        events: 3,
      };
      const a = {
        deploy_id: '0193-a',
        environment: 'staging',
        first_at: at(2).toISOString(),
        last_at: at(2).toISOString(),
        last_type: 'DEPLOY_REQUESTED',
        events: 1,
      };
      assert.deepEqual(await journal.deploys(), [b, a]);
      assert.deepEqual(await journal.deploys('staging'), [a]);
      assert.deepEqual(await journal.deploys('qa'), []);
    }));

  it('findDeploy takes a whole id or a unique prefix; undefined for none; E_INVALID_INPUT when ambiguous', () =>
    withJournal(factory, async ({ journal }) => {
      await journal.append('0193f0c2-aaaa', 0, at(1), requested());
      await journal.append('0193f0c2-bbbb', 0, at(2), requested());
      assert.equal(await journal.findDeploy('0193f0c2-aaaa'), '0193f0c2-aaaa');
      assert.equal(await journal.findDeploy('0193f0c2-b'), '0193f0c2-bbbb');
      assert.equal(await journal.findDeploy('0194'), undefined);
      await assert.rejects(journal.findDeploy('0193f0c2'), (err: unknown) => {
        assert.ok(err instanceof CutoverError, String(err));
        assert.equal(err.code, 'E_INVALID_INPUT');
        assert.match(err.message, /ambiguous/);
        return true;
      });
    }));

  it('deployPage gives one page of deploys, newest first, and the total, in an environment or all', () =>
    withJournal(factory, async ({ journal }) => {
      for (const [i, id] of ['p-1', 'p-2', 'p-3', 'p-4'].entries())
        await journal.append(id, 0, at(i), i === 2 ? requestedIn('staging') : requested());
      const ids = async (q: Parameters<typeof journal.deployPage>[0]) => {
        const { deploys, total } = await journal.deployPage(q);
        return { ids: deploys.map((d) => d.deploy_id), total };
      };
      assert.deepEqual(await ids({ limit: 2, offset: 0 }), { ids: ['p-4', 'p-3'], total: 4 });
      assert.deepEqual(await ids({ limit: 2, offset: 3 }), { ids: ['p-1'], total: 4 });
      assert.deepEqual(await ids({ environment: 'production', limit: 5, offset: 1 }), {
        ids: ['p-2', 'p-1'],
        total: 3,
      });
      assert.deepEqual(await ids({ environment: 'qa', limit: 5, offset: 0 }), { ids: [], total: 0 });
    }));
}
