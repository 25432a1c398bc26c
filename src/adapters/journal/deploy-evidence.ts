import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { REF_NAME_ANNOTATION } from '../registry/layout/index-json.js';

/**
 * What else in the state dir shows that deploys happened, in words for `audit verify`'s report,
 * so that an emptied journal is not taken for a new one. Only what is written after a deploy's
 * events are journaled counts:
 * - `runtime/state.json` names an environment once a deploy applied a version there;
 * - `registry/` and `builds/` (OCI layouts) hold a tag for each image a deploy pushed or built.
 * Not counted, because they name a deploy before its first event is written: `locks.db` (the lock
 * is taken with the new deploy's id) and `queue.db` (queued changesets are claimed first), so a
 * deploy killed at that moment leaves a name the journal rightly lacks. Nor `flags.db`, which
 * `cutover flags set` writes by hand.
 */
export function findDeployEvidence(stateDir: string): string[] {
  const found: string[] = [];
  const environments = runtimeEnvironments(join(stateDir, 'runtime', 'state.json'));
  if (environments.length > 0)
    found.push(
      `runtime/state.json names ${count(environments.length, 'deployed environment')} (${environments.join(', ')})`,
    );
  for (const [dir, what] of [
    ['registry', 'pushed'],
    ['builds', 'built'],
  ] as const) {
    const tags = countTags(join(stateDir, dir), 4);
    if (tags > 0) found.push(`${dir}/ holds ${count(tags, `${what} image`)}`);
  }
  return found;
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function runtimeEnvironments(file: string): string[] {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as { environments?: Record<string, unknown> };
    return Object.keys(state.environments ?? {}).sort();
  } catch {
    return [];
  }
}

/** Tags in every OCI layout (a directory with an index.json) at most `depth` levels down. */
function countTags(dir: string, depth: number): number {
  let tags = 0;
  try {
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
      manifests?: Array<{ annotations?: Record<string, string> }>;
    };
    tags += (index.manifests ?? []).filter((m) => m.annotations?.[REF_NAME_ANNOTATION]).length;
  } catch {
    // not a layout, or not one we can read: its subdirectories may be
  }
  if (depth === 0) return tags;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return tags;
  }
  for (const entry of entries)
    if (entry.isDirectory() && entry.name !== 'blobs') tags += countTags(join(dir, entry.name), depth - 1);
  return tags;
}
