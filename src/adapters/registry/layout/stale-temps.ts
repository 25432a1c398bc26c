import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

// `.<name>.<pid>.<hex>.tmp`, as tempPathFor names them.
const TEMP = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes the temp files a killed writer left in `dir` (a push SIGKILLed half-way leaves a partial
 * layer there). Only those whose pid no longer runs: a live writer's file is its work in progress.
 * A reused pid only delays the clean-up to a later push.
 */
export async function removeStaleTemps(dir: string): Promise<number> {
  let removed = 0;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const match = TEMP.exec(name);
    if (!match || Number(match[1]) === process.pid || isAlive(Number(match[1]))) continue;
    await rm(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}
