import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Checkpoint, Mark } from './journal-anchor.js';

/**
 * The bytes a checkpoint signs. The fixed first line keeps a signature made by this key for
 * anything else from passing as a checkpoint; `at` is signed so a checkpoint cannot be re-dated.
 */
export function checkpointMessage(mark: Mark): Buffer {
  return Buffer.from(`cutover journal checkpoint v1\nrows ${mark.rows}\nhash ${mark.hash}\nat ${mark.at}\n`);
}

/** The first 16 hex digits of sha256(SPKI DER): names a key in reports without showing it. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export interface CheckpointVerifier {
  readonly keyId: string;
  /** True only when `checkpoint`'s signature is this key's over its rows, hash and time. */
  verify(checkpoint: Checkpoint): boolean;
}

export interface CheckpointSigner extends CheckpointVerifier {
  sign(mark: Mark): Checkpoint;
}

/** ed25519 (RFC 8032) through node:crypto: the algorithm is implied by the key, hence `null`. */
export function createCheckpointVerifier(publicKey: KeyObject): CheckpointVerifier {
  const keyId = keyIdOf(publicKey);
  return {
    keyId,
    verify(checkpoint) {
      try {
        return verify(
          null,
          checkpointMessage(checkpoint),
          publicKey,
          Buffer.from(checkpoint.signature, 'base64'),
        );
      } catch {
        return false;
      }
    },
  };
}

export function createCheckpointSigner(privateKey: KeyObject): CheckpointSigner {
  const verifier = createCheckpointVerifier(createPublicKey(privateKey));
  return {
    ...verifier,
    sign(mark) {
      const signature = sign(null, checkpointMessage(mark), privateKey).toString('base64');
      return { rows: mark.rows, hash: mark.hash, at: mark.at, key_id: verifier.keyId, signature };
    },
  };
}
