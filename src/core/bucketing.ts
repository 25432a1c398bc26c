import murmurhash from 'murmurhash';

/**
 * Unleash-compatible gradual-rollout bucketing: `(murmur3_x86_32(groupId:id, seed 0) mod 100) + 1`.
 * One function for the router and the flag store, so "5 %" is the same users in both.
 *
 * Ids are hashed as murmurhash@2 does (the low byte of each UTF-16 code unit), which is what
 * Unleash's Node SDK does; for ASCII ids this equals hashing the UTF-8 bytes.
 */
export function bucketOf(groupId: string, id: string): number {
  return (murmurhash.v3(`${groupId}:${id}`, 0) % 100) + 1;
}

/** True when `id` falls inside the first `percentage` buckets of `groupId`. */
export function isInRollout(groupId: string, id: string, percentage: number): boolean {
  return percentage > 0 && bucketOf(groupId, id) <= percentage;
}
