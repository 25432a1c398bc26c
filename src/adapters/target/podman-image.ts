import { isCutoverError } from '../../core/errors.js';
import type { ReleaseRef } from '../../core/model/release.js';
import type { StartOptions } from '../../ports/target.js';
import { pullContainerImage, type RegistryAuth } from '../../lib/podman/pull-image.js';
import type { ContainerRequest } from '../../runtime/client/api-types.js';

/**
 * Where the podman runner pulls an environment's images: its OCI Distribution registry (by
 * digest, with its credentials), or, for the embedded registry, the OCI layout the release was
 * verified in.
 */
export type PodmanImageSource =
  | { registry: 'oci-layout' }
  | {
      registry: 'oci-distribution';
      /** `host[:port]` of the registry */
      host: string;
      tlsVerify: boolean;
      /** read when a pull needs them, so a deploy that pulls nothing never reads the secret */
      auth: () => RegistryAuth | undefined;
    };

/**
 * What the runtime daemon is asked to run: from a registry, the release by digest, which the CLI
 * pulls (it holds the credentials) when the daemon says it is not there yet (`pullForDaemon`);
 * from an oci-layout registry, the repository's layout, which the daemon reads itself.
 */
export function containerRequestFor(
  source: PodmanImageSource,
  release: ReleaseRef,
  layoutDir: string,
  options: StartOptions,
): ContainerRequest {
  const request: ContainerRequest =
    source.registry === 'oci-layout'
      ? { image: `oci:${layoutDir}:${release.tag}`, tls_verify: true }
      : {
          image: `${source.host}/${release.repository}@${release.digest}`,
          tls_verify: source.tlsVerify,
          cli_pulls: true,
        };
  if (options.resources) request.resources = options.resources;
  return request;
}

/** True for the daemon's answer that the CLI must pull the image first. */
export function needsPull(err: unknown): boolean {
  return (
    isCutoverError(err) &&
    err.code === 'E_PULL_FAILED' &&
    (err.details as { not_pulled?: boolean })?.not_pulled === true
  );
}

/** Pulls the release into podman's storage here, in the CLI, with the registry's credentials. */
export async function pullForDaemon(
  source: PodmanImageSource,
  request: ContainerRequest,
  release: ReleaseRef,
): Promise<void> {
  const auth = source.registry === 'oci-distribution' ? source.auth() : undefined;
  await pullContainerImage(request, release, auth);
}
