import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../lib/logger.js';
import type { DesiredState } from '../client/state-file.js';

/**
 * Saves the daemon's desired state through a temp file and a rename, so a crash mid-write leaves
 * the previous state whole. Saves are chained: the last change asked for is the last one on disk.
 */
export class StateWriter {
  private chain: Promise<void> = Promise.resolve();
  private frozen = false;

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {}

  /** Queues a save; a failure is logged, and the next save tries again. Ignored once frozen. */
  save(state: DesiredState): void {
    if (this.frozen) return;
    const text = `${JSON.stringify(state, null, 2)}\n`;
    this.chain = this.chain.then(() =>
      this.write(text).catch((err: unknown) =>
        this.logger.error('Cannot save runtime state', { error: err }),
      ),
    );
  }

  /**
   * Keeps what is saved (or queued) as it is, and resolves once it is on disk. Daemon shutdown:
   * what versions do while they stop is not a wanted state, and a change the daemon answered
   * just before must be what the next daemon restores.
   */
  freeze(): Promise<void> {
    this.frozen = true;
    return this.chain;
  }

  private async write(text: string): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, this.file);
  }
}
