import { CutoverError } from '../../core/errors.js';
import type { Strategy } from '../../core/schema/strategy.js';
import type { QueueWindow } from '../../ports/queue.js';
import type { DeployInput } from '../deploy-request.js';
import type { SessionContext } from './session.js';

/** One strategy for the whole train: the one given, else the one every submission agrees on. */
function trainStrategy(given: Strategy | undefined, submitted: Array<Strategy | null>): Strategy {
  if (given) return given;
  const named = [...new Set(submitted.filter((s) => s !== null).map((s) => JSON.stringify(s)))];
  if (named.length === 0)
    throw new CutoverError(
      'E_USAGE',
      'the queued changesets were submitted without a strategy; give --strategy',
    );
  if (named.length > 1)
    throw new CutoverError(
      'E_USAGE',
      `the queued changesets were submitted with different strategies (${named.length}); give --strategy for the train`,
    );
  return JSON.parse(named[0]!) as Strategy;
}

/**
 * The train a window's changesets make, in submission order, under one strategy. Reads nothing,
 * so `cutover plan --queued` shows the train `deploy --queued` would take.
 */
export function queuedTrainInput(
  window: QueueWindow,
  given: Strategy | undefined,
  environment: string,
): DeployInput {
  const strategy = trainStrategy(
    given,
    window.entries.map((e) => e.strategy),
  );
  if (strategy.mode === 'manual')
    throw new CutoverError('E_USAGE', 'manual mode deploys one changeset at a time: use deploy -c with it');
  const [first, ...more] = window.entries.map((e) => ({ changeset: e.changeset, baseDir: e.base_dir }));
  return { ...first!, more, strategy, environment };
}

/**
 * Takes the current window's changesets out of the queue for `deployId`, in submission order.
 * Undefined when nothing is queued. Run by hand, it closes the window early and says so.
 */
export async function takeQueuedTrain(
  ctx: SessionContext,
  environment: string,
  given: Strategy | undefined,
  deployId: string,
): Promise<DeployInput | undefined> {
  // A deploy that claimed entries and died before journaling its request never started them.
  for (const claimant of await ctx.queue().claimants(environment))
    if ((await ctx.journal.rows(claimant)).length === 0) await ctx.queue().unclaim(claimant);
  const window = await ctx.queue().take(environment, deployId);
  if (!window) {
    ctx.progress(`cutover: nothing is queued for ${environment}`);
    return undefined;
  }
  let input: DeployInput;
  try {
    input = queuedTrainInput(window, given, environment);
  } catch (err) {
    await ctx.queue().unclaim(deployId);
    throw err;
  }
  const early = Date.parse(window.closes_at) > ctx.clock.now().getTime();
  ctx.progress(
    `cutover: window opened ${window.opened_at}${early ? `, closing it early (it would close at ${window.closes_at})` : ''}: ${window.entries.map((e) => `#${e.id} ${e.changeset.id}`).join(', ')}`,
  );
  return input;
}
