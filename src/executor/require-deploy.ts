import { CutoverError } from '../core/errors.js';
import type { Journal } from '../ports/journal.js';

/** The deploy an id or a unique prefix of one names (as `git` resolves commits); E_NOT_FOUND if none. */
export async function requireDeploy(journal: Journal, id: string): Promise<string> {
  const found = await journal.findDeploy(id);
  if (!found)
    throw new CutoverError(
      'E_NOT_FOUND',
      `no deploy with id "${id}" in this state dir (see: cutover status)`,
    );
  return found;
}
