import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CutoverError } from '../../core/errors.js';
import { FENCE_HEADER } from '../client/api-types.js';

// at most 15 digits: every such token is a safe integer
const FENCE_VALUE = /^([A-Za-z0-9-]{1,64}):([a-z0-9][a-z0-9-]*):([1-9][0-9]{0,14})$/;

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

  /**
   * Resolves when the command, a change to `environment`, may run; throws
   * `E_STALE_FENCING_TOKEN` when it may not, and `E_INVALID_INPUT` for a fence of another
   * environment (a lease on staging is no licence to change production).
   */
  async admit(header: string | undefined, environment: string): Promise<void> {
    if (header === undefined) return;
    const match = FENCE_VALUE.exec(header);
    if (!match)
      throw new CutoverError('E_INVALID_INPUT', `${FENCE_HEADER}: must be <store>:<environment>:<token>`, {});
    const [, store, fenced, raw] = match as unknown as [string, string, string, string];
    if (fenced !== environment)
      throw new CutoverError(
        'E_INVALID_INPUT',
        `${FENCE_HEADER}: the lease is on ${fenced}, the request changes ${environment || 'no environment'}`,
        {},
      );
    const token = Number(raw);
    await (this.loaded ??= this.load());
    const seen = this.book[store]?.[environment] ?? 0;
    if (token < seen)
      throw new CutoverError(
        'E_STALE_FENCING_TOKEN',
        `command refused: the lease on ${environment} with fencing token ${token} was taken over (this runtime has seen token ${seen}); the executor that sent it stalled past its lease`,
        { environment, token, current: seen },
      );
    // the same token is admitted once its first admission is on disk, not before
    if (token === seen) return this.saving;
    const book = (this.book[store] ??= {});
    book[environment] = token;
    const text = `${JSON.stringify(this.book, null, 2)}\n`;
    const saved = this.saving.catch(() => undefined).then(() => this.write(text));
    this.saving = saved;
    try {
      await saved;
    } catch (err) {
      // not saved, so not admitted: a restarted daemon would not remember it
      if (book[environment] === token) book[environment] = seen;
      throw err;
    }
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
