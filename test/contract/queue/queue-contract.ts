import { describe } from 'node:test';
import { changesetSchema } from '../../../src/core/schema/changeset.js';
import { strategySchema } from '../../../src/core/schema/strategy.js';
import type { ChangesetQueue, QueuedChangeset } from '../../../src/ports/queue.js';
import { describeQueueClaims } from './queue-claims.js';
import { describeQueueWindows } from './queue-windows.js';

/** One fresh queue per test. */
export interface QueueHarness {
  queue: ChangesetQueue;
  /** closes the queue and opens the same store again, as the next process would */
  reopen(): Promise<ChangesetQueue>;
  /** one more queue on the same store, as another process has; `cleanup` closes it */
  open(): ChangesetQueue;
  cleanup(): Promise<void>;
}

export type QueueFactory = () => Promise<QueueHarness>;

/**
 * The behaviour every ChangesetQueue adapter must have (ports/queue.ts): submissions in order,
 * the window the oldest pending one opens, one pending submission per changeset id and
 * environment, atomic takes (racing takers included), unclaim, claimants, durability.
 *
 * @example describeQueueContract('sqlite', async () => ({ queue: openSqliteQueue(path), reopen, cleanup }));
 */
export function describeQueueContract(name: string, factory: QueueFactory): void {
  describe(`Queue contract: ${name}`, () => {
    describeQueueWindows(factory);
    describeQueueClaims(factory);
  });
}

export async function withQueue(factory: QueueFactory, body: (h: QueueHarness) => Promise<void>) {
  const harness = await factory();
  try {
    await body(harness);
  } finally {
    await harness.cleanup();
  }
}

/** A submission of changeset `id` at `at`, opening a one-minute window unless told otherwise. */
export function entry(
  id: string,
  at: string,
  more: { environment?: string; windowMs?: number; canary?: boolean } = {},
): Omit<QueuedChangeset, 'id'> {
  return {
    environment: more.environment ?? 'production',
    changeset: changesetSchema.parse({
      id,
      service: 'shop',
      version: '1.0.0',
      commit: 'abc1234',
      source: '.',
      feature_flag: `ff-${id}`,
    }),
    path: `/x/${id}.yaml`,
    base_dir: '/x',
    strategy: more.canary ? strategySchema.parse({ mode: 'canary' }) : null,
    submitted_by: 'alice',
    submitted_at: at,
    window_ms: more.windowMs ?? 60_000,
  };
}

/** Changeset ids of a window's entries, in the order the window gives them. */
export const idsOf = (window: { entries: QueuedChangeset[] } | undefined) =>
  window?.entries.map((e) => e.changeset.id);
