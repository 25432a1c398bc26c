import { evolve, initialState, type DeployState } from '../core/deploy-state.js';
import type { DeployEvent } from '../core/events.js';
import type { Clock } from '../ports/clock.js';
import type { Journal, JournalRow } from '../ports/journal.js';
import { afterAppend, beforeAppend } from './failpoint.js';

/**
 * Appends a deploy's events and keeps its folded state in step with the journal, so the loop
 * never decides from anything the journal does not hold.
 */
export class DeployRecorder {
  state: DeployState;
  readonly rows: JournalRow[];

  private constructor(
    private readonly journal: Journal,
    private readonly clock: Clock,
    deployId: string,
    rows: JournalRow[],
  ) {
    this.rows = rows;
    this.state = rows.reduce((s, r) => evolve(s, r.event, r.seq, r.at), initialState(deployId));
  }

  static async open(journal: Journal, clock: Clock, deployId: string): Promise<DeployRecorder> {
    return new DeployRecorder(journal, clock, deployId, await journal.rows(deployId));
  }

  get deployId(): string {
    return this.state.deployId;
  }

  async record(event: DeployEvent): Promise<JournalRow> {
    beforeAppend();
    const row = await this.journal.append(this.state.deployId, this.state.lastSeq, this.clock.now(), event);
    afterAppend();
    this.rows.push(row);
    this.state = evolve(this.state, row.event, row.seq, row.at);
    return row;
  }
}
