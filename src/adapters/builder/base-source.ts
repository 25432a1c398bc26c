import { CutoverError } from '../../core/errors.js';
import { referenceOf, type ImageReference } from '../../core/image-reference.js';
import type { RegistryConfig } from '../../core/schema/config.js';
import type { Registry } from '../../ports/registry.js';

/** The registries a build may read base images from. */
export interface BuildRegistries {
  /** The registry an environment pushes to, and its settings (undefined: no environment known). */
  environment(name: string): { registry: Registry; config: RegistryConfig };
  /** A registry on another host, asked anonymously over HTTPS; disposed of by the builder. */
  other(host: string): Registry;
}

/** Where a base image is read from. */
export interface BaseSource {
  registry: Registry;
  repository: string;
  /** a tag or a digest */
  reference: string;
  /** true when it is the registry the image is pushed to: its layers are then mounted, not copied */
  pushedTo: boolean;
  /** set for a registry opened for this build only */
  dispose?: () => Promise<void>;
}

/**
 * Finds a base image's registry (README "Runnable images"): a reference without a host names a
 * repository of the environment's own registry, whatever its type; one whose host is the host of
 * the environment's OCI Distribution registry is read there, with its credentials and `insecure`
 * setting; any other host is asked anonymously over HTTPS.
 */
export function locateBase(
  ref: ImageReference,
  environment: string | undefined,
  registries: BuildRegistries | undefined,
  written: string,
): BaseSource {
  const reference = referenceOf(ref);
  const own = environment !== undefined ? registries?.environment(environment) : undefined;
  if (ref.host === undefined) {
    if (!own)
      throw new CutoverError(
        'E_BUILD_FAILED',
        `build.base ${written} names no registry host and no environment's registry is known to look in`,
        { base: written },
      );
    return { registry: own.registry, repository: ref.repository, reference, pushedTo: true };
  }
  if (own?.config.type === 'oci-distribution' && new URL(own.config.url).host === ref.host)
    return { registry: own.registry, repository: ref.repository, reference, pushedTo: true };
  if (!registries)
    throw new CutoverError('E_BUILD_FAILED', `build.base ${written}: no registry client to read it with`, {
      base: written,
    });
  const registry = registries.other(ref.host);
  return {
    registry,
    repository: ref.repository,
    reference,
    pushedTo: false,
    dispose: async () => registry.dispose?.(),
  };
}
