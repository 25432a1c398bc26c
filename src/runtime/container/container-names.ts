import { createHash } from 'node:crypto';
import type { ReleaseRef } from '../../core/model/release.js';

/** Labels every container of the podman runner carries, so a restarted daemon finds its own. */
export const LABELS = {
  runtime: 'io.cutover.runtime',
  environment: 'io.cutover.environment',
  service: 'io.cutover.service',
  tag: 'io.cutover.tag',
  digest: 'io.cutover.digest',
  port: 'io.cutover.port',
} as const;

/** A short id of one runtime daemon (its directory), telling its containers from another's. */
export function runtimeIdOf(runtimeDir: string): string {
  return createHash('sha256').update(runtimeDir).digest('hex').slice(0, 8);
}

/**
 * `cutover-<environment>-<tag>-<runtime id>`: readable in `podman ps`, unique per runtime, and the
 * same for the same version, which is how a restarted daemon finds the container to adopt.
 */
export function containerName(runtimeId: string, environment: string, release: ReleaseRef): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `cutover-${safe(environment)}-${safe(release.tag)}-${runtimeId}`;
}

export function containerLabels(
  runtimeId: string,
  environment: string,
  release: ReleaseRef,
  port: number,
): Record<string, string> {
  return {
    [LABELS.runtime]: runtimeId,
    [LABELS.environment]: environment,
    [LABELS.service]: release.repository,
    [LABELS.tag]: release.tag,
    [LABELS.digest]: release.digest,
    [LABELS.port]: String(port),
  };
}
