import { CutoverError } from '../../core/errors.js';
import { shortDigest } from '../../lib/oci/digest.js';

/**
 * A base layer that lives in another registry than the one pushed to: pushes take base layers
 * only registry-side, and a build for a registry elsewhere copies them into its layout instead
 * (an image reused by digest for another environment, `cutover approve`, can meet this).
 */
export function foreignBaseBlobError(digest: string, location: string, registry: string): CutoverError {
  return new CutoverError(
    'E_PUSH_FAILED',
    `base image blob ${shortDigest(digest)} is in ${location}, not in ${registry}: base layers are taken only from the registry pushed to (build again for this environment)`,
    { digest, location, registry },
  );
}
