import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { ReleaseRef } from '../../../src/core/model/release.js';
import type { Target, TargetSnapshot } from '../../../src/ports/target.js';
import { describeTargetLifecycle } from './target-lifecycle.js';
import { describeTargetRestore } from './target-restore.js';
import { describeTargetRouting } from './target-routing.js';

/** A release the harness built, and the OCI layout it can be started from. */
export interface TargetRelease {
  release: ReleaseRef;
  layoutDir: string;
}

/** One target system for the whole suite; each test works in an environment of its own. */
export interface TargetHarness {
  /** the Target of an environment no other test uses, with nothing deployed in it yet */
  target(environment: string): Target;
  /** three releases that start and answer their health path */
  releases: [TargetRelease, TargetRelease, TargetRelease];
  /** a release whose health path never answers 200 */
  neverHealthy: TargetRelease;
  /** which release (by digest) answers a request in `environment` now; absent when nothing serves */
  servedBy?(environment: string): Promise<string | undefined>;
  cleanup(): Promise<void>;
}

export type TargetFactory = () => Promise<TargetHarness>;

/** What each test gets: a fresh environment's target, the harness's releases and its reach. */
export interface TargetCase {
  target: Target;
  environment: string;
  v1: TargetRelease;
  v2: TargetRelease;
  v3: TargetRelease;
  neverHealthy: TargetRelease;
  /** asserts which release answers requests now, when the harness can tell */
  assertServedBy(expected: TargetRelease | undefined): Promise<void>;
}

export const OPTIONS = { healthTimeoutMs: 15_000, drainTimeoutMs: 5_000 };

/**
 * The behaviour every Target adapter must have (ports/target.ts) — the local runtime, and the
 * podman and SSH targets to come — and every model of one: start beside what runs with no
 * traffic, E_HEALTH_TIMEOUT leaving nothing behind, weights validated and swapped whole, stop,
 * snapshot and restore. Snapshots are compared as sets of versions: their order is not promised.
 *
 * @example describeTargetContract('model', async () => modelHarness());
 */
export function describeTargetContract(
  name: string,
  factory: TargetFactory,
  options: { skip?: string | false } = {},
): void {
  describe(`Target contract: ${name}`, options, () => {
    let harness: TargetHarness | undefined;
    let serial = 0;
    before(async () => {
      harness = await factory();
    });
    after(() => harness?.cleanup());
    const fresh = (): TargetCase => {
      const h = harness!;
      const environment = `contract-${(serial += 1)}`;
      // Copies, so that a target keeping what it was given cannot hand a change on to other tests.
      const [v1, v2, v3] = h.releases.map((r) => ({ ...r, release: { ...r.release } }));
      return {
        target: h.target(environment),
        environment,
        v1: v1!,
        v2: v2!,
        v3: v3!,
        neverHealthy: h.neverHealthy,
        async assertServedBy(expected) {
          if (!h.servedBy) return;
          assert.equal(await h.servedBy(environment), expected?.release.digest, 'the release answering');
        },
      };
    };
    describeTargetLifecycle(fresh);
    describeTargetRouting(fresh);
    describeTargetRestore(fresh);
  });
}

/** A snapshot as a set: versions by digest, with their weights and layouts. */
export function normalize(snapshot: TargetSnapshot): TargetSnapshot {
  const versions = [...snapshot.versions].sort((a, b) => a.release.digest.localeCompare(b.release.digest));
  const group = snapshot.groupId === undefined ? {} : { groupId: snapshot.groupId };
  return { environment: snapshot.environment, versions, ...group };
}

/** The snapshot of `environment` with these releases at these weights (a copy of its own). */
export function serving(environment: string, ...versions: Array<[TargetRelease, number]>): TargetSnapshot {
  return normalize({
    environment,
    versions: versions.map(([r, weight]) => ({ release: { ...r.release }, weight, layoutDir: r.layoutDir })),
  });
}

/** Compares versions and weights, and the bucketing group when `expected` names one. */
export async function assertSnapshot(target: Target, expected: TargetSnapshot, message?: string) {
  const { groupId, ...actual } = normalize(await target.snapshot());
  const withGroup = expected.groupId === undefined ? actual : { ...actual, groupId };
  assert.deepEqual(withGroup, normalize(expected), message);
}
