import { canonicalJson } from '../core/canonical-json.js';
import { evolve, initialState, type DeployState } from '../core/deploy-state.js';
import type { DeployEvent } from '../core/events.js';
import { redactValue } from '../core/redact.js';
import type { JournalRow } from '../ports/journal.js';
import type { ExecutorContext } from './context.js';
import { afterAppend, beforeAppend } from './failpoint.js';
import { appendPatiently, patienceUntil } from './journal-patience.js';

/** What a recorder uses of the executor context. */
export type RecorderContext = Pick<ExecutorContext, 'journal' | 'clock' | 'sleep' | 'progress' | 'secrets'>;

/**
 * Appends a deploy's events and keeps its folded state in step with the journal, so the loop
 * never decides from anything the journal does not hold.
 */
export class DeployRecorder {
  state: DeployState;
  readonly rows: JournalRow[];

  private constructor(
    private readonly ctx: RecorderContext,
    deployId: string,
    rows: JournalRow[],
  ) {
    this.rows = rows;
    this.state = rows.reduce((s, r) => evolve(s, r.event, r.seq, r.at), initialState(deployId));
  }

  static async open(ctx: RecorderContext, deployId: string): Promise<DeployRecorder> {
    return new DeployRecorder(ctx, deployId, await ctx.journal.rows(deployId));
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
  async record(event: DeployEvent, options: { waitMs?: number } = {}): Promise<JournalRow> {
    const { journal, clock } = this.ctx;
    const redacted = redactValue(event, this.ctx.secrets);
    const expectedSeq = this.state.lastSeq;
    const now = clock.now().getTime();
    const until = options.waitMs === undefined ? patienceUntil(this.state, now) : now + options.waitMs;
    beforeAppend();
    const row = await appendPatiently(
      this.ctx,
      `${redacted.type} (deploy ${this.deployId})`,
      until,
      () => journal.append(this.deployId, expectedSeq, clock.now(), redacted),
      async () =>
        (await journal.rows(this.deployId)).find(
          (r) => r.seq === expectedSeq + 1 && canonicalJson(r.event) === canonicalJson(redacted),
        ),
    );
    afterAppend();
    this.rows.push(row);
    this.state = evolve(this.state, row.event, row.seq, row.at);
    return row;
  }
}
