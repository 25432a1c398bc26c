import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createDirectoryBuilder } from '../../src/adapters/builder/directory-image.js';
import { isAlive } from '../../src/runtime/client/pid-file.js';
import { makeChangeset, writeSourceTree } from './oci-images.js';
import type { TestImage } from './runtime-apps.js';

/**
 * An app that forks a `sleep` into its process group and writes both pids to PIDS_FILE, then
 * answers every request 200 (HEALTHY=true) or 503, or exits at once (EXIT_AFTER_FORK=true): a
 * test can follow every process a start made. `/hold` is never answered: a request in flight for
 * as long as the test wants.
 */
const SERVER = `const http = require('node:http');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const child = spawn('sleep', ['300'], { stdio: 'ignore' });
fs.writeFileSync(process.env.PIDS_FILE, JSON.stringify({ app: process.pid, child: child.pid }));
if (process.env.EXIT_AFTER_FORK === 'true') process.exit(1);
http.createServer((req, res) => {
  if (req.url === '/hold') return;
  res.writeHead(process.env.HEALTHY === 'true' ? 200 : 503);
  res.end();
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

export interface TrackedImage extends TestImage {
  pidsFile: string;
}

/**
 * Builds the app with the real builder but without the changeset schema, so that its run spec
 * can carry what validation would refuse (a health path with CRLF in it): the runtime must be
 * safe whatever an image says.
 */
export async function buildTrackedApp(
  dir: string,
  version: string,
  o: { healthy: boolean; healthPath?: string; exitAfterFork?: boolean },
): Promise<TrackedImage> {
  const source = `tracked-${version}`;
  await writeSourceTree(join(dir, source), { 'server.js': SERVER });
  const pidsFile = join(dir, `${source}.pids.json`);
  const changeset = makeChangeset({
    version,
    source: `./${source}`,
    run: {
      command: ['node', 'server.js'],
      health_path: o.healthPath ?? '/health',
      env: { PIDS_FILE: pidsFile, HEALTHY: String(o.healthy), EXIT_AFTER_FORK: String(!!o.exitAfterFork) },
    },
  });
  const tag = `${version}-abc1234-20250101`;
  const image = await createDirectoryBuilder().build({
    changeset,
    baseDir: dir,
    workDir: join(dir, 'images'),
    tag,
  });
  return {
    release: { repository: 'shop', tag, digest: image.manifest.digest },
    layoutDir: image.layoutDir,
    pidsFile,
  };
}

/** The pids the app wrote, once it has. */
export async function readPids(file: string, timeoutMs = 10_000): Promise<{ app: number; child: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as { app: number; child: number };
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** True once `pid` is gone (waiting up to `timeoutMs`): a stop takes a moment to land. */
export async function isGone(pid: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Kills what a failing test leaves behind, with their process groups — only processes whose
 * working directory is inside `dir`, so a pid reused by a stranger is never touched.
 */
export function killLeftovers(pids: number[], dir: string): void {
  for (const pid of pids) {
    let cwd = '';
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue;
    }
    if (!cwd.startsWith(dir)) continue;
    process.kill(pid, 'SIGKILL');
    try {
      // A version leads its own process group: what it forked goes with it.
      process.kill(-pid, 'SIGKILL');
    } catch {
      // not a group leader (a child the test saw), or the group is gone already
    }
  }
}
