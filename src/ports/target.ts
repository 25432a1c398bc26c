import type { ReleaseRef } from '../core/model/release.js';
import type { Resources, TargetSnapshot } from '../core/model/target.js';

export type { RunningVersion, TargetSnapshot } from '../core/model/target.js';

export interface StartOptions {
  /** milliseconds to wait for the health path to answer 200 */
  healthTimeoutMs: number;
  /** the changeset's `run.resources`; a runner that cannot limit ignores them */
  resources?: Resources;
}

export interface RouteOptions {
  /**
   * Sticky-bucketing group: the changeset's flag name, so the users routed to a 5 % canary are
   * the users who see a 5 % flag on.
   */
  groupId?: string;
}

export interface StopOptions {
  /** milliseconds to wait for in-flight requests before the process is terminated */
  drainTimeoutMs: number;
}

/** How a target made of several hosts reports each host's change, so the journal records it. */
export interface HostSteps {
  /** awaited before the host is changed: what undoes the change is durable before it happens */
  starting(host: string, previous: TargetSnapshot): Promise<void>;
  applied(host: string, current: TargetSnapshot): Promise<void>;
  failed(host: string, error: unknown): Promise<void>;
  /** a restore put the host back, or could not reach it (`unreconciled`) */
  restored(host: string): Promise<void>;
  unreconciled(host: string, error: unknown): Promise<void>;
}

/** A new version, host by host: what each host runs is planned from what that host serves. */
export interface Rollout {
  release: ReleaseRef;
  layoutDir: string;
  options: StartOptions & StopOptions;
  /** the weights the host routes with and the versions it then stops, given what it serves */
  plan(serving: TargetSnapshot): { weights: Record<string, number>; retire: string[] };
  groupId?: string;
}

/**
 * Where releases run, bound to one environment.
 *
 * Contract:
 * - `start` runs the release beside whatever already runs, with no traffic, and resolves once its
 *   health path answers 200; on timeout it stops what it started and throws `E_HEALTH_TIMEOUT`.
 *   Starting a version that already runs is a no-op.
 * - `route` changes weights atomically: each new request sees either the old or the new weights,
 *   and no in-flight request is dropped. Weights name running versions by digest and sum to 100.
 * - `stop` removes the version from routing, waits for its in-flight requests (bounded by
 *   `drainTimeoutMs`), then terminates it. Stopping a version that is not running is a no-op.
 * - `snapshot` names the bucketing group the router hashes users with (`groupId`), when it has one.
 * - `restore` makes the environment equal to a snapshot taken earlier (same versions, same weights,
 *   and the same bucketing group when the snapshot names one), starting, routing and stopping as
 *   needed; it is idempotent.
 * - `peek` reads what serves without starting, creating or changing anything, unlike `snapshot`,
 *   which may bring the target up first: a target that is down reports what it would serve once
 *   it is up again (`cutover plan` uses it).
 * - Unreachable or failing target: `E_RUNTIME_UNAVAILABLE` / `E_APPLY_FAILED` naming the cause.
 */
export interface Target {
  readonly name: string;
  readonly environment: string;
  snapshot(): Promise<TargetSnapshot>;
  peek(): Promise<TargetSnapshot>;
  start(release: ReleaseRef, layoutDir: string, options: StartOptions): Promise<void>;
  route(weights: Record<string, number>, options?: RouteOptions): Promise<void>;
  stop(digest: string, options: StopOptions): Promise<void>;
  /**
   * `hosts` (multi-host targets): restore only these, newest first, reporting each to `steps`;
   * a host it cannot reach is reported `unreconciled` and the others are still restored, then
   * it throws `E_HOST_UNREACHABLE` naming them.
   */
  restore(
    snapshot: TargetSnapshot,
    options: StartOptions & StopOptions,
    scope?: { hosts: string[]; steps: HostSteps },
  ): Promise<void>;
  /**
   * Multi-host targets only: start → health → route → drain on each host, in groups, canary
   * hosts first, each host reported to `steps` before and after it changes. The first failing
   * group stops the rollout (its other hosts finish) and the error names the host.
   */
  rollout?(plan: Rollout, steps: HostSteps): Promise<TargetSnapshot>;
  dispose?(): Promise<void>;
}
