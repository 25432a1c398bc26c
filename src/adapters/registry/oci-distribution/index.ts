import { CutoverError } from '../../../core/errors.js';
import { isDigest } from '../../../lib/oci/digest.js';
import type { OciDistributionRegistryConfig } from '../../../core/schema/config.js';
import type { Registry } from '../../../ports/registry.js';
import { repositoryScope } from './auth-challenge.js';
import type { UploadTuning } from './upload-requests.js';
import { readCredentials } from './credentials.js';
import { headManifest } from './manifest-client.js';
import { pullImage } from './pull-image.js';
import { pushImage } from './push-image.js';
import { readRemoteImage } from './read-image.js';
import { RegistrySession } from './registry-session.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';

export interface OciDistributionTuning extends UploadTuning {
  /** Clock for bearer-token expiry, epoch ms. */
  now: () => number;
}

const MiB = 1024 * 1024;

export const DEFAULT_TUNING: OciDistributionTuning = {
  chunkThreshold: 32 * MiB,
  // distribution 2.8 fsyncs the upload at the end of every request, which stalls the transfer,
  // and resumes only at chunk boundaries anyway: few, large chunks cost least.
  chunkSize: 128 * MiB,
  readBufferSize: MiB,
  retry: DEFAULT_RETRY_POLICY,
  now: () => Date.now(),
};

const REPOSITORY_PATTERN =
  /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * A registry speaking the OCI Distribution API (tested against distribution 2.8.2). Credentials
 * come from the environment variable the config names and are read on first use.
 *
 * @example
 * const registry = createOciDistributionRegistry({ type: 'oci-distribution', url: 'http://127.0.0.1:5000', insecure: false, verify: 'digest' });
 * const { digest } = await registry.push(image, 'api-orders', '2.4.0-abc1234-20250101');
 */
export function createOciDistributionRegistry(
  config: OciDistributionRegistryConfig,
  env: NodeJS.ProcessEnv = process.env,
  tuning: Partial<OciDistributionTuning> = {},
): Registry {
  const settings: OciDistributionTuning = { ...DEFAULT_TUNING, ...tuning };
  const session = new RegistrySession({
    baseUrl: config.url,
    insecure: config.insecure,
    credentials: () => readCredentials(config, env),
    retry: settings.retry,
    now: settings.now,
  });
  const knownBlobs = new Map<string, string>();
  return {
    name: 'oci-distribution',
    describe: (repository) => `${session.baseUrl}/${repository}`,
    async push(image, repository, tag) {
      assertReference(repository, tag);
      return pushImage(
        { session, tuning: settings, verify: config.verify, knownBlobs },
        image,
        repository,
        tag,
      );
    },
    async resolve(repository, tag) {
      assertReference(repository, tag);
      const call = {
        repository,
        scopes: [repositoryScope(repository, 'pull')],
        action: `resolving ${repository}:${tag}`,
      };
      await session.ping(call.scopes, call.action);
      return headManifest(session, call, tag);
    },
    async readImage(repository, reference, layoutDir, options) {
      if (isDigest(reference)) assertRepository(repository);
      else assertReference(repository, reference);
      return readRemoteImage(session, settings.retry, repository, reference, layoutDir, options);
    },
    async pull(release, cacheDir) {
      assertReference(release.repository, release.tag);
      return pullImage(session, settings.retry, release, cacheDir);
    },
    dispose: () => session.dispose(),
  };
}

function assertRepository(repository: string): void {
  if (!REPOSITORY_PATTERN.test(repository)) {
    throw new CutoverError('E_INVALID_INPUT', `not an OCI repository name: ${JSON.stringify(repository)}`, {
      repository,
    });
  }
}

function assertReference(repository: string, tag: string): void {
  assertRepository(repository);
  if (!TAG_PATTERN.test(tag)) {
    throw new CutoverError(
      'E_TAG_INVALID',
      `not a valid tag: ${JSON.stringify(tag)} (letters, digits, _ . -, at most 128)`,
      { tag },
    );
  }
}
