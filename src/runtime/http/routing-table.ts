import { bucketOf } from '../../core/bucketing.js';
import type { Backend } from './backend.js';

export const BUCKETS = 100;

/**
 * What the router reads on every request. Never mutated: a weight change builds a new table and
 * swaps the reference, so each request sees either the old or the new routing, never a mix.
 */
export interface RoutingTable {
  /** lowercase request header carrying the sticky key */
  readonly header: string;
  readonly groupId: string;
  /** backend for bucket b at index b-1; null: nobody serves that bucket */
  readonly slots: ReadonlyArray<Backend | null>;
  /** set when one backend serves every bucket: no need to compute a key */
  readonly only: Backend | null;
  readonly empty: boolean;
}

export interface WeightedBackend {
  backend: Backend;
  weight: number;
  healthy: boolean;
}

/**
 * Lays the weights out as cumulative bucket ranges, newest version first, so a 5 % canary gets
 * buckets 1–5: the users a 5 % flag with the same group id turns on. Buckets of an unhealthy
 * version (or left over after a version was stopped) go to the healthy version with the largest
 * weight, keeping every other user where they were.
 *
 * @param newestFirst versions ordered from the most recently started
 */
export function buildRoutingTable(
  header: string,
  groupId: string,
  newestFirst: WeightedBackend[],
): RoutingTable {
  const slots: Array<Backend | null> = new Array<Backend | null>(BUCKETS).fill(null);
  let fallback: WeightedBackend | null = null;
  let next = 0;
  for (const entry of newestFirst) {
    const end = Math.min(BUCKETS, next + entry.weight);
    if (entry.healthy) slots.fill(entry.backend, next, end);
    next = end;
    if (entry.healthy && entry.weight > 0 && (fallback === null || entry.weight > fallback.weight)) {
      fallback = entry;
    }
  }
  if (fallback) {
    for (let i = 0; i < BUCKETS; i++) if (slots[i] === null) slots[i] = fallback.backend;
  }
  const first = slots[0] ?? null;
  const only = first !== null && slots.every((slot) => slot === first) ? first : null;
  return Object.freeze({
    header: header.toLowerCase(),
    groupId,
    slots: Object.freeze(slots),
    only,
    empty: first === null,
  });
}

/** The backend of the bucket `key` falls in; for a table that is neither empty nor `only`. */
export function backendForKey(table: RoutingTable, key: string): Backend {
  return table.slots[bucketOf(table.groupId, key) - 1] as Backend;
}
