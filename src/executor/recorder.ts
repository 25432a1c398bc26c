import { canonicalJson } from '../core/canonical-json.js';
import type { DeployState } from '../core/deploy-state.js';
import type { DeployEvent, EventOf } from '../core/events.js';
import { evolve, foldEvents, requestedState } from '../core/fold-deploy.js';
import { redactValue } from '../core/redact.js';
import type { JournalRow } from '../ports/journal.js';
import type { ExecutorContext } from './context.js';
import { afterAppend, beforeAppend } from './failpoint.js';
import { appendPatiently, JOURNAL_PATIENCE_MS, patienceUntil } from './journal-patience.js';

/** What a recorder uses of the executor context. */
export type RecorderContext = Pick<
  ExecutorContext,
  'journal' | 'clock' | 'sleep' | 'progress' | 'secrets' | 'fence'
>;

/**
 * Appends a deploy's events and keeps its folded state in step with the journal, so the loop
 * never decides from anything the journal does not hold. A recorder exists only for a deploy that
 * was requested: `start` journals the request, `open` and `find` read one back.
 */
export class DeployRecorder {
  state: DeployState;
  readonly rows: JournalRow[];

  private constructor(
    private readonly ctx: RecorderContext,
    rows: JournalRow[],
    state: DeployState,
  ) {
    this.rows = rows;
    this.state = state;
  }

  /** Journals a new deploy's request, its first row. */
  static async start(
    ctx: RecorderContext,
    deployId: string,
    request: EventOf<'DEPLOY_REQUESTED'>,
  ): Promise<DeployRecorder> {
    const event = redactValue(request, ctx.secrets);
    const row = await append(ctx, deployId, 0, event, ctx.clock.now().getTime() + JOURNAL_PATIENCE_MS);
    return new DeployRecorder(ctx, [row], requestedState(deployId, { seq: row.seq, at: row.at, event }));
  }

  /** A deploy in the journal; `E_NOT_FOUND` when it has no rows. */
  static async open(ctx: RecorderContext, deployId: string): Promise<DeployRecorder> {
    const rows = await ctx.journal.rows(deployId);
    return new DeployRecorder(ctx, rows, foldEvents(deployId, rows));
  }

  /** A deploy in the journal, or undefined when nothing was journaled for it (a lock may name one). */
  static async find(ctx: RecorderContext, deployId: string): Promise<DeployRecorder | undefined> {
    const rows = await ctx.journal.rows(deployId);
    return rows.length === 0 ? undefined : new DeployRecorder(ctx, rows, foldEvents(deployId, rows));
  }

  get deployId(): string {
    return this.state.deployId;
  }

  /**
   * Journals `event`, redacted for every configured secret first: once hashed into the chain, a
   * secret (a registry password a failing build printed) could not be removed without breaking
   * `audit verify`. While the journal is unavailable it retries for `waitMs`, by default for as
   * long as `patienceUntil` allows; then it throws `E_JOURNAL_UNAVAILABLE`.
   */
  record(event: DeployEvent, options: { waitMs?: number } = {}): Promise<JournalRow> {
    // Hosts of a fleet report at once; appends name the sequence number they follow, so they
    // are made one after another, in the order they were asked for.
    const next = this.tail.then(() => this.recordNow(event, options));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private tail: Promise<unknown> = Promise.resolve();

  private async recordNow(event: DeployEvent, options: { waitMs?: number }): Promise<JournalRow> {
    const now = this.ctx.clock.now().getTime();
    const until = options.waitMs === undefined ? patienceUntil(this.state, now) : now + options.waitMs;
    const redacted = redactValue(event, this.ctx.secrets);
    const row = await append(this.ctx, this.deployId, this.state.lastSeq, redacted, until);
    this.rows.push(row);
    this.state = evolve(this.state, row.event, row.seq, row.at);
    return row;
  }
}

/** One append of an event already redacted, retried while the journal is unavailable until `until` (epoch ms). */
async function append(
  ctx: RecorderContext,
  deployId: string,
  expectedSeq: number,
  redacted: DeployEvent,
  until: number,
): Promise<JournalRow> {
  const { journal, clock } = ctx;
  beforeAppend();
  const row = await appendPatiently(
    ctx,
    `record ${redacted.type} (deploy ${deployId})`,
    until,
    () => journal.append(deployId, expectedSeq, clock.now(), redacted, ctx.fence),
    async () =>
      (await journal.rows(deployId)).find(
        (r) => r.seq === expectedSeq + 1 && canonicalJson(r.event) === canonicalJson(redacted),
      ),
  );
  afterAppend();
  return row;
}
