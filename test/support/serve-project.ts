import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { makeProject } from './project.js';
import { writeSampleChangeset } from './sample-app.js';
import { startServe, tokenHash, type ServeProcess } from './serve-process.js';
import { openSse, type SseEvent } from './sse-client.js';

/** The tokens of a served project, one per role; their names are who the journal says asked. */
export const TOKENS = {
  viewer: 'vic-token-0123456789',
  deployer: 'dana-token-0123456789',
  approver: 'alice-token-0123456789',
  admin: 'root-token-0123456789',
} as const;
export const NAMES = { viewer: 'vic', deployer: 'dana', approver: 'alice', admin: 'root' } as const;

/**
 * A project with flag ff-shop, a token per role in cutover.yaml (hashes only), four eyes in
 * production, short health checks, and `cutover serve` running on it; `extra` goes into
 * cutover.yaml, `env` to every command (`before` runs first: `state migrate` for PostgreSQL).
 */
export async function makeServedProject(
  extra: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv = {},
  before: string[][] = [],
): Promise<Awaited<ReturnType<typeof makeProject>> & { serve: ServeProcess }> {
  const tokens = (Object.keys(TOKENS) as Array<keyof typeof TOKENS>).map((role) => ({
    name: NAMES[role],
    role,
    token_sha256: tokenHash(TOKENS[role]),
  }));
  const made = await makeProject({ tokens, ...extra });
  const project = {
    ...made,
    cli: (args: string[], more: NodeJS.ProcessEnv = {}) => made.cli(args, { ...env, ...more }),
  };
  // four eyes in production; a sick version holds production's lock for 8 s, until it is given up
  // on: long enough for a CLI started meanwhile on a loaded machine to find the lock held
  const path = join(project.dir, 'cutover.yaml');
  const config = parse(readFileSync(path, 'utf8'));
  config.environments.production.four_eyes = true;
  config.environments.production.target.health_timeout = '8s';
  writeFileSync(path, stringify(config));
  for (const args of [...before, ['flags', 'create', 'ff-shop']]) {
    const run = await project.cli(args);
    assert.equal(run.code, 0, run.stderr);
  }
  const serve = await startServe(project.dir, { CUTOVER_STATE_DIR: project.stateDir, ...env });
  return { ...project, serve };
}

/** Whether an SSE event is the end (succeeded or failed) of deploy `id`. */
export const endOf = (id: string) => (e: SseEvent) =>
  (e.event === 'DEPLOY_SUCCEEDED' || e.event === 'DEPLOY_FAILED') && JSON.parse(e.data).deploy_id === id;

/** What a served project's tests send and read: the API as each role, its events as a viewer. */
export function servedClient(project: Awaited<ReturnType<typeof makeServedProject>>) {
  return {
    call: (method: string, path: string, token?: string, body?: unknown) =>
      project.serve.call(method, path, token, body),
    /** a POST /api/deploys body for a sample app written now */
    deployBody: (name: string, version: string, strategy: unknown = 'fast-track', o = {}) => ({
      changesets: [writeSampleChangeset(project.dir, name, { version, ...o })],
      strategy,
      environment: 'production',
    }),
    events: (query = '', headers: Record<string, string> = {}) =>
      openSse(`${project.serve.url}/api/events${query}`, {
        authorization: `Bearer ${TOKENS.viewer}`,
        ...headers,
      }),
  };
}
