import murmurhash from 'murmurhash';

// The id's UTF-8 bytes are written here rather than into a new array per call: the router
// buckets every request. Longer ids get an array of their own.
const SCRATCH_BYTES = 1024;
const scratch = new Uint8Array(SCRATCH_BYTES);
const encoder = new TextEncoder();

/**
 * Unleash-compatible gradual-rollout bucketing: `(murmur3_x86_32(groupId:id, seed 0) mod 100) + 1`,
 * hashing the UTF-8 bytes of `groupId:id` (what murmurhash@2 does with a string).
 * One function for the router and the flag store, so "5 %" is the same users in both.
 */
export function bucketOf(groupId: string, id: string): number {
  const key = `${groupId}:${id}`;
  // At most 3 UTF-8 bytes per UTF-16 code unit: a key that fits is encoded whole.
  const bytes =
    key.length * 3 <= SCRATCH_BYTES
      ? scratch.subarray(0, encoder.encodeInto(key, scratch).written)
      : encoder.encode(key);
  return (murmurhash.v3(bytes, 0) % 100) + 1;
}

/** True when `id` falls inside the first `percentage` buckets of `groupId`. */
export function isInRollout(groupId: string, id: string, percentage: number): boolean {
  return percentage > 0 && bucketOf(groupId, id) <= percentage;
}
