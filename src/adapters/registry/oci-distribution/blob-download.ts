import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CutoverError, isCutoverError } from '../../../core/errors.js';
import type { BlobDescriptor } from '../../../ports/release.js';
import { tempPathFor } from '../layout/atomic-write.js';
import { commitBlob } from '../layout/blob-store.js';
import { HashingStream } from '../layout/hashing-stream.js';
import { assertDigest, repositoryPath, resolveBlobPath, shortDigest } from './blob-path.js';
import type { ManifestCall } from './manifest-client.js';
import { createNetworkError } from './registry-errors.js';
import type { RegistrySession } from './registry-session.js';
import { runWithRetry, type RetryPolicy } from './retry-policy.js';

/**
 * Streams a blob from the registry through sha256, into the layout `layoutDir` or nowhere (to
 * re-hash what the registry serves). The file gets its digest name only once the digest is
 * proven, so a cache never holds a wrong blob. A download cut halfway is started again.
 */
export async function downloadBlob(
  session: RegistrySession,
  call: ManifestCall,
  blob: Pick<BlobDescriptor, 'digest'> & { size?: number },
  retry: RetryPolicy,
  layoutDir?: string,
): Promise<void> {
  assertDigest(blob.digest);
  const action = `${call.action}: blob ${shortDigest(blob.digest)}`;
  await runWithRetry(retry, async () => {
    const res = await session.send({
      method: 'GET',
      url: repositoryPath(call.repository, `blobs/${blob.digest}`),
      scopes: call.scopes,
      expect: [200],
      action,
      repository: call.repository,
      code: call.code,
    });
    const tap = new HashingStream();
    const partial = layoutDir ? tempPathFor(resolveBlobPath(layoutDir, blob.digest)) : undefined;
    try {
      await pipeline(res.body, tap, partial ? createWriteStream(partial, { flags: 'wx' }) : discard()).catch(
        (err: unknown) => {
          throw isCutoverError(err)
            ? err
            : createNetworkError(err, {
                action,
                registry: session.baseUrl,
                repository: call.repository,
                code: call.code,
              });
        },
      );
      if (tap.digest !== blob.digest || (blob.size !== undefined && tap.size !== blob.size))
        throw createBlobMismatch(session, call, blob, tap);
      if (partial && layoutDir) await commitBlob(partial, layoutDir, blob.digest);
    } finally {
      if (partial) await rm(partial, { force: true });
    }
  });
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

function createBlobMismatch(
  session: RegistrySession,
  call: ManifestCall,
  blob: { digest: string; size?: number },
  tap: HashingStream,
): CutoverError {
  return new CutoverError(
    'E_DIGEST_MISMATCH',
    `registry ${session.baseUrl}/${call.repository} serves ${tap.size} bytes hashing to ${shortDigest(tap.digest)} for blob ${shortDigest(blob.digest)}`,
    {
      registry: session.baseUrl,
      repository: call.repository,
      expected: blob.digest,
      actual: tap.digest,
      expectedSize: blob.size ?? null,
      size: tap.size,
    },
  );
}
