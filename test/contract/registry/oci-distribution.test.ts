import { describe } from 'node:test';
import { createOciDistributionRegistry } from '../../../src/adapters/registry/oci-distribution/index.js';
import { startDockerRegistry, skipUnlessInstalled } from '../../support/docker-registry.js';
import { describeRegistryContract } from './registry-contract.js';

// The real server: Debian's docker-registry (distribution 2.8.2). In CI a missing binary fails.
const skip = skipUnlessInstalled('docker-registry');
const auth = { username: 'deployer', password: 'contract-password' };

describe('oci-distribution against docker-registry', { skip }, () => {
  describeRegistryContract('oci-distribution (open docker-registry)', async () => {
    const server = await startDockerRegistry();
    const registry = createOciDistributionRegistry(
      { type: 'oci-distribution', url: server.url, insecure: false, verify: 'digest' },
      {},
    );
    return {
      registry,
      cleanup: async () => {
        await registry.dispose?.();
        await server.stop();
      },
    };
  });

  describeRegistryContract('oci-distribution (basic auth, verify: full)', async () => {
    const server = await startDockerRegistry({ auth });
    const registry = createOciDistributionRegistry(
      {
        type: 'oci-distribution',
        url: server.url,
        username: auth.username,
        password_env: 'CONTRACT_REGISTRY_PASSWORD',
        insecure: false,
        verify: 'full',
      },
      { CONTRACT_REGISTRY_PASSWORD: auth.password },
    );
    return {
      registry,
      cleanup: async () => {
        await registry.dispose?.();
        await server.stop();
      },
    };
  });
});
