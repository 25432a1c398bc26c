import { join, resolve } from 'node:path';
import { CutoverError, type ErrorCode } from '../../core/errors.js';
import type { PushResult, Registry } from '../../ports/registry.js';
import type { LocalImage, ReleaseRef, RemoteBlobs } from '../../ports/release.js';
import { isDigest } from '../../lib/oci/digest.js';
import { readLayoutImage } from './layout/read-image.js';
import { findTag, readIndex } from './layout/index-json.js';
import { verifyStoredImage } from './layout/verify-image.js';
import { pushToLayout } from './oci-layout-push.js';

export interface OciLayoutRegistryOptions {
  /** Repository `r` is the OCI image layout `<rootDir>/r`. */
  rootDir: string;
}

/**
 * The embedded Registry: one OCI image layout directory per repository, readable by any OCI tool
 * (`skopeo inspect oci:<rootDir>/<repository>:<tag>`). Needs no server and no credentials.
 *
 * @example
 * const registry = createOciLayoutRegistry({ rootDir: '.cutover/registry' });
 * const { digest } = await registry.push(image, 'api-orders', '2.4.0-abc1234-20250101');
 */
export function createOciLayoutRegistry({ rootDir }: OciLayoutRegistryOptions): Registry {
  const root = resolve(rootDir);
  const location = (repository: string): string => `oci-layout:${join(root, repository)}`;

  return {
    name: 'oci-layout',
    describe: location,

    async push(image: LocalImage, repository: string, tag: string): Promise<PushResult> {
      assertRepositoryName(repository, 'E_PUSH_FAILED');
      assertTagName(tag, 'E_PUSH_FAILED');
      // A base image's layers (`image.remote`) are copied from its repository here, registry-side.
      const remoteDir = (remote: RemoteBlobs) =>
        remote.location === location(remote.repository) ? join(root, remote.repository) : undefined;
      return pushToLayout(image, join(root, repository), tag, location(repository), remoteDir);
    },

    async resolve(repository: string, tag: string): Promise<string | undefined> {
      assertRepositoryName(repository, 'E_INVALID_INPUT');
      const index = await readIndex(join(root, repository), 'E_PUSH_FAILED');
      return findTag(index, tag)?.digest;
    },

    async readImage(repository, reference, layoutDir, options) {
      assertRepositoryName(repository, 'E_INVALID_INPUT');
      if (!isDigest(reference)) assertTagName(reference, 'E_INVALID_INPUT');
      const repoDir = join(root, repository);
      return readLayoutImage(repoDir, location(repository), repository, reference, layoutDir, options);
    },

    /** The repository layout is already local, so `cacheDir` is not needed: it is verified in place. */
    async pull(release: ReleaseRef, _cacheDir: string): Promise<string> {
      assertRepositoryName(release.repository, 'E_INVALID_INPUT');
      const repoDir = join(root, release.repository);
      const bound = findTag(await readIndex(repoDir, 'E_PUSH_FAILED'), release.tag)?.digest;
      const ref = `${release.repository}:${release.tag}`;
      if (bound === undefined) {
        throw new CutoverError('E_NOT_FOUND', `${ref} is not in ${location(release.repository)}`, {
          repository: release.repository,
          tag: release.tag,
        });
      }
      if (bound !== release.digest) {
        throw new CutoverError(
          'E_DIGEST_MISMATCH',
          `${ref} in ${location(release.repository)} is ${bound}, expected ${release.digest}`,
          { expected: release.digest, actual: bound },
        );
      }
      await verifyStoredImage(repoDir, release.digest);
      return repoDir;
    },
  };
}

/** The OCI distribution grammar: it also guarantees no `..`, no leading `/`, no empty segment. */
const REPOSITORY = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** A repository name becomes a directory under the registry root, so it is checked first. */
function assertRepositoryName(repository: string, code: ErrorCode): void {
  if (repository.length > 255 || !REPOSITORY.test(repository)) {
    throw new CutoverError(
      code,
      `invalid repository name ${JSON.stringify(repository)} (lowercase letters, digits, . _ - and / separators)`,
      { repository },
    );
  }
}

function assertTagName(tag: string, code: ErrorCode): void {
  if (!TAG.test(tag)) {
    throw new CutoverError(
      code,
      `invalid tag ${JSON.stringify(tag)} (letters, digits, . _ -, at most 128, not starting with . or -)`,
      { tag },
    );
  }
}
