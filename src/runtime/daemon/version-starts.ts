import type { StartVersionRequest } from '../client/api-types.js';
import type { StartingProcess } from './launch-context.js';
import type { Version } from './version.js';

/** A start in progress: its outcome, the means to abort it, and its process once there is one. */
export interface Starting {
  request: StartVersionRequest;
  done: Promise<Version>;
  abort: AbortController;
  process: StartingProcess | null;
  startedAt: number;
}

/**
 * The starts in progress of one environment, at most one per digest: asking again while a digest
 * is being started gets the same outcome. Each can be aborted, and its process is in sight from
 * its spawn (for the saved state) until the start is over.
 */
export class VersionStarts {
  private readonly starting = new Map<string, Starting>();

  get(digest: string): Starting | undefined {
    return this.starting.get(digest);
  }

  digests(): ReadonlySet<string> {
    return new Set(this.starting.keys());
  }

  /** The processes spawned so far. */
  processes(): StartingProcess[] {
    return [...this.starting.values()].flatMap((s) => (s.process ? [s.process] : []));
  }

  /** Starts `request` through `launch`; `over` runs once it is no longer in progress, either way. */
  begin(
    request: StartVersionRequest,
    startedAt: number,
    launch: (entry: Omit<Starting, 'done'>) => Promise<Version>,
    over: () => void,
  ): Promise<Version> {
    const digest = request.release.digest;
    const entry = { request, abort: new AbortController(), process: null, startedAt };
    const done = launch(entry).finally(() => {
      this.starting.delete(digest);
      over();
    });
    this.starting.set(digest, Object.assign(entry, { done }));
    return done;
  }

  /** Aborts every start in progress; each stops its own process. */
  abortAll(): void {
    for (const s of this.starting.values()) s.abort.abort();
  }

  /** Resolves once every start in progress is over, whatever its outcome. */
  async settled(): Promise<void> {
    await Promise.all([...this.starting.values()].map((s) => s.done.catch(() => undefined)));
  }
}
