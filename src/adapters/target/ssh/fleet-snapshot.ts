import type { HostSnapshot, TargetSnapshot } from '../../../core/model/target.js';

/**
 * A fleet's snapshot from its hosts': `versions` is what most hosts serve (the first host's
 * when they tie), so the single-host planning (canary splits, promote) reads the fleet's
 * usual state, and `hosts` keeps each host's own, which is what a restore puts back.
 */
export function fleetSnapshot(environment: string, hosts: HostSnapshot[]): TargetSnapshot {
  const counts = new Map<string, { count: number; host: HostSnapshot }>();
  for (const host of hosts) {
    const key = host.versions
      .map((v) => `${v.release.digest}=${v.weight}`)
      .sort()
      .join(',');
    const seen = counts.get(key);
    if (seen) seen.count++;
    else counts.set(key, { count: 1, host });
  }
  let best: { count: number; host: HostSnapshot } | undefined;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return {
    environment,
    versions: best?.host.versions ?? [],
    ...(best?.host.groupId !== undefined ? { groupId: best.host.groupId } : {}),
    hosts,
  };
}

/** What one host should serve according to a fleet snapshot: its own entry, else the fleet's. */
export function hostShare(snapshot: TargetSnapshot, host: string): TargetSnapshot {
  const own = snapshot.hosts?.find((h) => h.host === host);
  const versions = own ? own.versions : snapshot.versions;
  const groupId = own ? own.groupId : snapshot.groupId;
  return { environment: snapshot.environment, versions, ...(groupId !== undefined ? { groupId } : {}) };
}

/** A host's snapshot as a fleet snapshot records it. */
export function hostEntry(host: string, snapshot: TargetSnapshot): HostSnapshot {
  return {
    host,
    versions: snapshot.versions,
    ...(snapshot.groupId !== undefined ? { groupId: snapshot.groupId } : {}),
  };
}
