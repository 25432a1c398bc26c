import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject } from './project.js';
import { writeSampleChangeset } from './sample-app.js';

export type ServingProject = Awaited<ReturnType<typeof makeServingProject>>;

/**
 * A project whose production serves v1 (fast-track, flag ff-shop), with `flags` created and each
 * of `states` set in production: the starting point the crash tests must get back to.
 */
export async function makeServingProject(flags: string[] = [], states: Record<string, string[]> = {}) {
  const project = await makeProject();
  for (const f of ['ff-shop', ...flags]) assert.equal((await project.cli(['flags', 'create', f])).code, 0);
  const v1 = writeSampleChangeset(project.dir, 'v1', { version: '1.0.0' });
  const run = await project.cli(['deploy', '-c', v1, '--env', 'production', '--strategy', 'fast-track']);
  assert.equal(run.code, 0, run.stderr);
  for (const [flag, state] of Object.entries(states)) {
    const set = await project.cli(['flags', 'set', flag, '--env', 'production', '--state', ...state]);
    assert.equal(set.code, 0, set.stderr);
  }
  return {
    ...project,
    /** writes a strategy file into the project and returns its path */
    strategy(name: string, yaml: string): string {
      const path = join(project.dir, `${name}.yaml`);
      writeFileSync(path, yaml);
      return path;
    },
  };
}
