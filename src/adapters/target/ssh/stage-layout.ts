import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { create as Create } from 'tar';
import { CutoverError } from '../../../core/errors.js';
import type { ReleaseRef } from '../../../core/model/release.js';
import type { SshSession } from './ssh-session.js';
import { lazyRequire } from '../../../lib/lazy-require.js';

const tar = lazyRequire<{ create: typeof Create }>('tar');

interface Manifest {
  config?: { digest?: string };
  layers?: Array<{ digest?: string }>;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The release as an OCI layout of its own (its manifest, config and layers, nothing else of the
 * repository), packed once per deploy into `cacheDir`: what a host's agent runs a process from.
 */
export async function releaseLayoutArchive(
  layoutDir: string,
  release: ReleaseRef,
  cacheDir: string,
): Promise<string> {
  const hex = release.digest.replace(/^sha256:/, '');
  const file = join(cacheDir, `release-${hex}.tar.gz`);
  if (existsSync(file)) return file;
  const blob = (digest: string) => join(layoutDir, 'blobs', 'sha256', digest.replace(/^sha256:/, ''));
  const manifest = JSON.parse(await readFile(blob(release.digest), 'utf8')) as Manifest;
  const digests = [release.digest, manifest.config?.digest, ...(manifest.layers ?? []).map((l) => l.digest)];
  // callers at once (hosts staging the same release) each pack their own copy; renames are atomic
  const staging = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await mkdir(join(staging, 'blobs', 'sha256'), { recursive: true });
  try {
    for (const digest of digests) {
      if (!digest)
        throw new CutoverError('E_APPLY_FAILED', `manifest ${release.digest} names a blob without a digest`);
      await copyFile(blob(digest), join(staging, 'blobs', 'sha256', digest.replace(/^sha256:/, '')));
    }
    const descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: release.digest };
    const index = {
      schemaVersion: 2,
      manifests: [
        {
          ...descriptor,
          size: (await readFile(blob(release.digest))).length,
          annotations: { 'org.opencontainers.image.ref.name': release.tag },
        },
      ],
    };
    await writeFile(join(staging, 'index.json'), JSON.stringify(index));
    await writeFile(join(staging, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    await tar().create({ gzip: true, file: `${staging}.tar.gz`, cwd: staging, portable: true }, ['.']);
    await rename(`${staging}.tar.gz`, file);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return file;
}

/**
 * Puts the release's layout on the host under `agentDir/layouts/<digest>` unless it is there
 * already, and returns that path. The agent verifies every blob's sha256 as it reads it, so a
 * layout damaged in transit fails the start rather than running something else.
 */
export async function stageOnHost(
  session: SshSession,
  agentDir: string,
  release: ReleaseRef,
  archive: () => Promise<string>,
): Promise<string> {
  const dir = `${agentDir}/layouts/${release.digest.replace(/^sha256:/, '')}`;
  const present = await session.exec(`test -f ${q(`${dir}/index.json`)}`);
  if (present.code === 0) return dir;
  const upload = `${dir}.${Date.now()}.tar.gz`;
  await mustRun(session, `mkdir -p ${q(`${agentDir}/layouts`)}`);
  await session.upload(await archive(), upload);
  await mustRun(
    session,
    `mkdir -p ${q(`${dir}.part`)} && tar -xzf ${q(upload)} -C ${q(`${dir}.part`)} && rm -f ${q(upload)} && rm -rf ${q(dir)} && mv ${q(`${dir}.part`)} ${q(dir)}`,
  );
  return dir;
}

async function mustRun(session: SshSession, command: string): Promise<void> {
  const run = await session.exec(command);
  if (run.code !== 0)
    throw new CutoverError(
      'E_APPLY_FAILED',
      `${session.host}: cannot stage the release: ${run.stderr.trim()}`,
      {
        host: session.host,
      },
    );
}
