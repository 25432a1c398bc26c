import { CutoverError } from '../core/errors.js';
import { formatDuration } from '../core/schema/duration.js';
import { loadStrategy, type LoadedChangeset } from '../inputs/load-inputs.js';
import type { Strategy } from '../core/schema/strategy.js';
import type { SessionContext } from '../executor/session/session.js';

export interface QueuedChangeset {
  id: number;
  changeset: string;
  environment: string;
  window: { opened_at: string; closes_at: string; length: string; changesets: string[] };
}

/**
 * `submit`: queues a changeset in its environment's batching window (opening one sized by the
 * strategy's `batching.window`), for `deploy --queued` to ship as one train. `ctx.actor` is
 * recorded as who submitted it.
 */
export async function submitChangeset(
  ctx: SessionContext,
  loaded: LoadedChangeset,
  strategy: Strategy | null,
  environmentName: string,
  display = loaded.path,
): Promise<QueuedChangeset> {
  const windowMs = (strategy ?? loadStrategy('fast-track')).batching.window;
  const environment = ctx.environment(environmentName).name;
  // A train ships one service: refuse here rather than when the window is deployed.
  const other = (await ctx.queue().window(environment))?.entries.find(
    (e) => e.changeset.service !== loaded.changeset.service,
  );
  if (other)
    throw new CutoverError(
      'E_USAGE',
      `${display}: service ${loaded.changeset.service}, but the open window for ${environment} holds ${other.changeset.service} (changeset ${other.changeset.id}); a train deploys one service`,
    );
  const { entry, window } = await ctx.queue().submit({
    environment,
    changeset: loaded.changeset,
    path: loaded.path,
    base_dir: loaded.baseDir,
    strategy,
    submitted_by: ctx.actor,
    submitted_at: ctx.clock.now().toISOString(),
    window_ms: windowMs,
  });
  return {
    id: entry.id,
    changeset: entry.changeset.id,
    environment,
    window: {
      opened_at: window.opened_at,
      closes_at: window.closes_at,
      length: formatDuration(windowMs),
      changesets: window.entries.map((e) => e.changeset.id),
    },
  };
}
