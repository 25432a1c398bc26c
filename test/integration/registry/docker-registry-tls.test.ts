import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createOciDistributionRegistry } from '../../../src/adapters/registry/oci-distribution/index.js';
import { CutoverError } from '../../../src/core/errors.js';
import {
  startDockerRegistry,
  skipUnlessInstalled,
  type RunningRegistry,
} from '../../support/docker-registry.js';
import { buildTestImage, type TestImage } from '../../support/oci-images.js';
import { writeSelfSignedCertificate } from '../../support/self-signed-certificate.js';
import { makeTempDir } from '../../support/tmp.js';

const fast = { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } };

/** HTTPS with a self-signed certificate: refused unless the config says `insecure: true`. */
describe(
  'oci-distribution over TLS, against docker-registry',
  { skip: skipUnlessInstalled('docker-registry', 'openssl') },
  () => {
    let server: RunningRegistry;
    let image: TestImage;
    const tmp = makeTempDir('cutover-tls-');

    before(async () => {
      const tls = writeSelfSignedCertificate(tmp.dir, 'registry', { cn: '127.0.0.1', ip: '127.0.0.1' });
      server = await startDockerRegistry({ tls });
      image = await buildTestImage(tmp.dir, { files: { 'server.js': 'tls\n' } });
    });
    after(async () => {
      await server?.stop();
      tmp.cleanup();
    });

    it('refuses an untrusted certificate by default, saying why', async () => {
      const registry = createOciDistributionRegistry(
        { type: 'oci-distribution', url: server.url, insecure: false, verify: 'digest' },
        {},
        fast,
      );
      const err = await registry.push(image, 'tls', image.tag).catch((e: unknown) => e);
      await registry.dispose?.();
      assert.ok(err instanceof CutoverError);
      assert.equal(err.code, 'E_PUSH_FAILED');
      assert.match(err.message, new RegExp(`^registry ${server.url} unreachable: .*certificate`));
    });

    it('pushes and pulls over TLS with insecure: true', async () => {
      const registry = createOciDistributionRegistry(
        { type: 'oci-distribution', url: server.url, insecure: true, verify: 'full' },
        {},
      );
      try {
        assert.equal((await registry.push(image, 'tls', image.tag)).digest, image.manifest.digest);
        await registry.pull(
          { repository: 'tls', tag: image.tag, digest: image.manifest.digest },
          join(tmp.dir, 'cache'),
        );
      } finally {
        await registry.dispose?.();
      }
    });
  },
);
