import { toCutoverError } from '../core/errors.js';
import type { SessionContext } from '../executor/session/session.js';

/**
 * The deploys a long-running process (`cutover serve`) runs for its callers. A deploy is answered
 * once it exists — its first row journaled — or with the error that stopped it before (a held
 * lock, a bad changeset): the caller learns the id at once and follows the rest in the journal.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: (line: string) => void) {}

  /**
   * Runs `run` on `ctx`; resolves when `deployId` has its first journal row, or when `run` ends
   * without one (nothing was queued); rejects with what `run` threw before that row.
   */
  async start(ctx: SessionContext, deployId: string, run: () => Promise<unknown>): Promise<void> {
    let exists = false;
    let journaled!: () => void;
    const first = new Promise<void>((resolve) => (journaled = resolve));
    const journal = ctx.journal;
    ctx.journal = {
      ...journal,
      async append(id, expectedSeq, at, event, fence) {
        const row = await journal.append(id, expectedSeq, at, event, fence);
        if (id === deployId && !exists) {
          exists = true;
          journaled();
        }
        return row;
      },
    };
    const done = run().then(() => undefined);
    const tracked = done
      .catch((err: unknown) => {
        // Before its first row the caller hears the error; after, the journal tells how it ended.
        if (!exists) return;
        const error = toCutoverError(err);
        this.log(`cutover serve: deploy ${deployId} stopped: ${error.code}: ${error.message}`);
      })
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    await Promise.race([first, done]);
  }

  /** How many deploys run now. */
  get size(): number {
    return this.running.size;
  }

  /** Resolves once every running deploy has ended, or after `ms`: false if some still run. */
  async settled(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const all = Promise.all([...this.running]).then(() => true as const);
    try {
      return await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
