import { unlink, writeFile } from 'node:fs/promises';
import { CutoverError } from '../../core/errors.js';
import { isRuntimeDaemon, readPidFile } from '../client/pid-file.js';

/**
 * Claims the pid file for this process. Refuses when another live daemon holds it; a stale
 * file is replaced.
 */
export async function claimPidFile(file: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readPidFile(file);
    if (holder !== null && holder !== process.pid && isRuntimeDaemon(holder)) {
      throw new CutoverError('E_RUNTIME_UNAVAILABLE', `a runtime daemon already runs (pid ${holder})`, {
        pid: holder,
      });
    }
    await unlink(file).catch(() => undefined);
  }
  throw new CutoverError('E_RUNTIME_UNAVAILABLE', `cannot claim pid file ${file}`, {});
}

/** Removes the pid file if it is still this process's. */
export async function releasePidFile(file: string): Promise<void> {
  if ((await readPidFile(file)) === process.pid) await unlink(file).catch(() => undefined);
}
