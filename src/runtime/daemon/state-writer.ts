import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DesiredState } from '../client/state-file.js';

/**
 * Writes through a temp file and a rename so a crash mid-write leaves the previous state whole.
 * Writes are chained: the last change asked for is the last one on disk.
 */
export function createStateWriter(file: string): (state: DesiredState) => Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  return (state) => {
    const text = `${JSON.stringify(state, null, 2)}\n`;
    chain = chain
      .catch(() => undefined)
      .then(async () => {
        await mkdir(dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, text);
        await rename(tmp, file);
      });
    return chain;
  };
}
