import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { create as Create } from 'tar';
import { PACKAGE_ROOT } from '../../../lib/package-root.js';
import { lazyRequire } from '../../../lib/lazy-require.js';

const tar = lazyRequire<{ create: typeof Create }>('tar');

/** What `hosts setup` ships to every host: the runtime daemon and what it imports, nothing else. */
export interface AgentBundle {
  /** the package version and a hash of every file in it: the same bundle, the same id */
  id: string;
  /** a .tar.gz of `dist/src/{runtime,core,lib,ports}`, package.json and the modules they load */
  file: string;
}

const ROOT = PACKAGE_ROOT;
// What the daemon and its router processes import (found by walking their imports), and the
// modules those need at run time; better-sqlite3's sources and build leftovers stay behind.
const CODE_DIRS = ['dist/src/runtime', 'dist/src/core', 'dist/src/lib', 'dist/src/ports'];
const MODULES = ['zod', 'murmurhash', 'undici', 'tar', 'better-sqlite3', 'bindings', 'file-uri-to-path'];
// the runtime's `/metrics` (prom-client) and what it loads
const METRICS_MODULES = ['prom-client', '@opentelemetry/api', 'tdigest', 'bintrees'];
const TAR_MODULES = ['@isaacs/fs-minipass', 'chownr', 'minipass', 'minizlib', 'yallist'];
const SKIPPED =
  /^node_modules\/better-sqlite3\/(deps|src)\/|^node_modules\/better-sqlite3\/build\/(?!Release\/better_sqlite3\.node$)/;

/** Builds the bundle once per content into `cacheDir` (kept there for the next setup). */
export async function agentBundle(cacheDir: string): Promise<AgentBundle> {
  const files = bundleFiles();
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(ROOT, file)))
      .update('\0');
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
  const id = `${version}-${hash.digest('hex').slice(0, 12)}`;
  const file = join(cacheDir, `cutover-agent-${id}.tar.gz`);
  if (!existsSync(file)) {
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await tar().create({ gzip: true, file: tmp, cwd: ROOT, portable: true, noMtime: true }, files);
    await rename(tmp, file);
  }
  return { id, file };
}

function bundleFiles(): string[] {
  const tops = [
    ...CODE_DIRS,
    ...[...MODULES, ...TAR_MODULES, ...METRICS_MODULES].map((m) => `node_modules/${m}`),
  ];
  const files = ['package.json'];
  for (const top of tops) if (existsSync(join(ROOT, top))) walk(join(ROOT, top), files);
  return files.filter((f) => !SKIPPED.test(f)).sort();
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(relative(ROOT, path));
  }
}
