import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CutoverError } from '../../core/errors.js';
import { FENCE_HEADER } from '../client/api-types.js';

const FENCE_VALUE = /^([A-Za-z0-9-]{1,64}):([a-z0-9][a-z0-9-]*):([1-9][0-9]{0,15})$/;

/**
 * The highest lease token each lock store showed this daemon, per environment. A command carrying
 * a lower one comes from an executor that stalled past its lease while another took over
 * (DESIGN.md, locks): it is refused before it changes anything. Tokens count per store, so
 * executors on separate state dirs sharing one runtime dir never fence each other. The book is
 * saved before the command it admits runs, so a daemon restart does not forget a takeover.
 */
export class FenceBook {
  private book: Record<string, Record<string, number>> = {};
  private loaded: Promise<void> | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** Resolves when the command may run; throws `E_STALE_FENCING_TOKEN` when it may not. */
  async admit(header: string | undefined): Promise<void> {
    if (header === undefined) return;
    const match = FENCE_VALUE.exec(header);
    if (!match)
      throw new CutoverError('E_INVALID_INPUT', `${FENCE_HEADER}: must be <store>:<environment>:<token>`, {});
    const [, store, environment, raw] = match as unknown as [string, string, string, string];
    const token = Number(raw);
    await (this.loaded ??= this.load());
    const seen = this.book[store]?.[environment] ?? 0;
    if (token < seen)
      throw new CutoverError(
        'E_STALE_FENCING_TOKEN',
        `command refused: the lease on ${environment} with fencing token ${token} was taken over (this runtime has seen token ${seen}); the executor that sent it stalled past its lease`,
        { environment, token, current: seen },
      );
    if (token === seen) return;
    (this.book[store] ??= {})[environment] = token;
    const text = `${JSON.stringify(this.book, null, 2)}\n`;
    this.saving = this.saving.then(() => this.write(text));
    await this.saving;
  }

  private async load(): Promise<void> {
    const text = await readFile(this.file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '{}';
      throw err;
    });
    try {
      this.book = JSON.parse(text) as Record<string, Record<string, number>>;
    } catch {
      // a torn file cannot happen (temp file + rename); a hand-edited one restarts the count
      this.book = {};
    }
  }

  private async write(text: string): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, this.file);
  }
}
