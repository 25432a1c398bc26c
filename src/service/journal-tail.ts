import type { Journal, JournalRow } from '../ports/journal.js';

/** Rows kept in memory for streams that are a little behind: most never read the journal again. */
const KEEP = 2000;
const BATCH = 500;

/**
 * The journal as it grows, for every stream of one process: one poll of `rowsAfter` every
 * `intervalMs` (what another process appended — a CLI deploy on the same state) or at once on
 * `poke` (this process appended), the newest rows kept in memory, and a wake-up for each waiting
 * stream. A stream behind the kept rows reads the journal itself, so any position can be resumed.
 */
export class JournalTail {
  private last = 0;
  private kept: JournalRow[] = [];
  private waiting = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly journal: Journal,
    private readonly intervalMs = 20,
    private readonly warn: (line: string) => void = () => undefined,
  ) {}

  /** Starts at the journal's head: what was there before is read from the journal on demand. */
  async start(): Promise<void> {
    this.last = (await this.journal.head()).rows;
    this.schedule();
  }

  /** The newest position seen: a stream with no position to resume from starts here. */
  get position(): number {
    return this.last;
  }

  /** Something was appended in this process: look now rather than at the next tick. */
  poke(): void {
    if (this.polling) this.again = true;
    else void this.poll();
  }

  /** Up to `limit` rows after `afterId`, from memory when it still has them. */
  async read(afterId: number, limit = BATCH): Promise<JournalRow[]> {
    const first = this.kept[0];
    if (first && first.id <= afterId + 1) {
      const from = this.kept.findIndex((r) => r.id > afterId);
      return from < 0 ? [] : this.kept.slice(from, from + limit);
    }
    if (afterId >= this.last) return [];
    return this.journal.rowsAfter(afterId, limit);
  }

  /** Resolves at once if rows after `afterId` were seen, else at the next rows (true), after `ms` (false), or at stop. */
  wait(afterId: number, ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.last > afterId) return resolve(true);
      if (this.stopped || signal?.aborted) return resolve(false);
      const timer = setTimeout(() => done(false), ms);
      const done = (woken: boolean) => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        signal?.removeEventListener('abort', end);
        resolve(woken);
      };
      const wake = () => done(true);
      const end = () => done(false);
      this.waiting.add(wake);
      signal?.addEventListener('abort', end);
    });
  }

  /** Whether stop() was called: streams end then. */
  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const wake of [...this.waiting]) wake();
    this.waiting.clear();
  }

  private schedule(): void {
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), this.intervalMs);
  }

  private async poll(): Promise<void> {
    clearTimeout(this.timer);
    this.polling = (async () => {
      do {
        this.again = false;
        let rows: JournalRow[];
        try {
          rows = await this.journal.rowsAfter(this.last, BATCH);
        } catch (err) {
          this.warn(`cutover serve: reading the journal for events: ${(err as Error).message}`);
          return;
        }
        if (rows.length === 0) continue;
        this.last = rows.at(-1)!.id;
        this.kept.push(...rows);
        if (this.kept.length > KEEP) this.kept.splice(0, this.kept.length - KEEP);
        for (const wake of [...this.waiting]) wake();
        if (rows.length === BATCH) this.again = true;
      } while (this.again && !this.stopped);
    })();
    await this.polling;
    this.polling = undefined;
    this.schedule();
  }
}
