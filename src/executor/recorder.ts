import { evolve, initialState, type DeployState } from '../core/deploy-state.js';
import type { DeployEvent } from '../core/events.js';
import { redactValue } from '../core/redact.js';
import type { JournalRow } from '../ports/journal.js';
import type { ExecutorContext } from './context.js';
import { afterAppend, beforeAppend } from './failpoint.js';

/** What a recorder uses of the executor context. */
export type RecorderContext = Pick<ExecutorContext, 'journal' | 'clock' | 'secrets'>;

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
   * `audit verify`.
   */
  async record(event: DeployEvent): Promise<JournalRow> {
    const redacted = redactValue(event, this.ctx.secrets);
    beforeAppend();
    const row = await this.ctx.journal.append(
      this.deployId,
      this.state.lastSeq,
      this.ctx.clock.now(),
      redacted,
    );
    afterAppend();
    this.rows.push(row);
    this.state = evolve(this.state, row.event, row.seq, row.at);
    return row;
  }
}
