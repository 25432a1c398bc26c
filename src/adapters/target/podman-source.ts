import { CutoverError } from '../../core/errors.js';
import type { RegistryConfig } from '../../core/schema/config.js';
import { readCredentials } from '../registry/oci-distribution/credentials.js';
import type { PodmanImageSource } from './podman-image.js';

/** Where the podman runner pulls from: the environment's registry, with its credentials. */
export function podmanSourceOf(config: RegistryConfig): PodmanImageSource {
  if (config.type === 'oci-layout') return { registry: 'oci-layout' };
  const url = new URL(config.url);
  return {
    registry: 'oci-distribution',
    host: url.host,
    tlsVerify: url.protocol === 'https:' && !config.insecure,
    auth: () => {
      const credentials = readCredentials(config, process.env);
      if (credentials.token !== undefined) {
        throw new CutoverError(
          'E_INVALID_INPUT',
          `registry ${config.url}: the podman runner pulls with username and password_env; token_env is not supported`,
          { registry: config.url },
        );
      }
      const { username, password } = credentials;
      return username && password ? { username, password } : undefined;
    },
  };
}
