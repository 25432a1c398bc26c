import { repositoryPath } from './blob-path.js';
import type { BlobTarget } from './upload-requests.js';
import type { RegistrySession } from './registry-session.js';

export async function blobExists(session: RegistrySession, target: BlobTarget): Promise<boolean> {
  const res = await session.send({
    method: 'HEAD',
    url: repositoryPath(target.repository, `blobs/${target.blob.digest}`),
    scopes: target.scopes,
    expect: [200, 404],
    action: `checking blob ${target.blob.digest}`,
    repository: target.repository,
  });
  await res.body.dump();
  return res.status === 200;
}

/**
 * Bytes held by the registry, from `Range: 0-<last>`. `0-0` is ambiguous in 2.8 (empty or one
 * byte), resolved with what the caller already knows.
 */
export function parseRangeEnd(range: string | undefined, known: number): number | undefined {
  const match = /^(?:bytes=)?0-(\d+)$/.exec(range?.trim() ?? '');
  if (!match) return undefined;
  const last = Number(match[1]);
  return last === 0 && known < 1 ? 0 : last + 1;
}
