import type { ReleaseRef } from './release.js';

export interface RunningVersion {
  release: ReleaseRef;
  /** Share of traffic, 0–100. Weights of an environment's versions sum to 100 when any serve. */
  weight: number;
  /** OCI layout the version was started from; lets `restore` start it again after it stopped. */
  layoutDir: string;
  /** the limits it runs with (podman runner), so `restore` starts it again with the same */
  resources?: Resources;
}

/** A version's `run.resources`: podman `--memory` (e.g. `256m`) and `--cpus`. */
export interface Resources {
  memory?: string;
  cpus?: number;
}

/** What serves an environment right now. Empty `versions`: nothing deployed yet. */
export interface TargetSnapshot {
  environment: string;
  versions: RunningVersion[];
  /**
   * The bucketing group the router hashes users with (a changeset's flag name, so the users routed
   * to a canary are those who see its flag on). Part of the routing table: a rollback puts it back
   * too. Absent in snapshots journaled before it was recorded, and from targets without one.
   */
  groupId?: string;
  /**
   * Multi-host targets: what each host serves. `versions` above is then what most hosts serve
   * (the fleet's state when it is consistent); a restore puts each host back to its own entry.
   */
  hosts?: HostSnapshot[];
}

/** One host of a multi-host target, as it served when the snapshot was taken. */
export interface HostSnapshot {
  host: string;
  versions: RunningVersion[];
  groupId?: string;
}
