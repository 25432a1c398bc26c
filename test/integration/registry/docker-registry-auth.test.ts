import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOciDistributionRegistry } from '../../../src/adapters/registry/oci-distribution/index.js';
import { CutoverError } from '../../../src/core/errors.js';
import type { OciDistributionRegistryConfig } from '../../../src/core/schema/config.js';
import {
  deployerConfig,
  findFreePort,
  startDockerRegistry,
  skipUnlessInstalled,
  type RunningRegistry,
} from '../../support/docker-registry.js';
import { buildTestImage, type TestImage } from '../../support/oci-images.js';
import { makeTempDir } from '../../support/tmp.js';

const PASSWORD = 'secret-s3cr3t-pass';
const fast = { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } };

/** Fails unless `action` throws a CutoverError; returns it. The secret must not be anywhere in it. */
async function captureError(action: () => Promise<unknown>): Promise<CutoverError> {
  try {
    await action();
  } catch (err) {
    assert.ok(err instanceof CutoverError, `expected a CutoverError, got ${String(err)}`);
    assert.doesNotMatch(String(err) + JSON.stringify(err.details), /secret/);
    return err;
  }
  assert.fail('expected an error');
}

describe(
  'oci-distribution auth and failures, against docker-registry',
  { skip: skipUnlessInstalled('docker-registry') },
  () => {
    let server: RunningRegistry;
    let image: TestImage;
    let config: OciDistributionRegistryConfig;
    const tmp = makeTempDir('cutover-auth-');

    before(async () => {
      server = await startDockerRegistry({ auth: { username: 'deployer', password: PASSWORD } });
      config = deployerConfig(server.url, 'digest');
      image = await buildTestImage(tmp.dir, { files: { 'server.js': 'ok\n' } });
    });
    after(async () => {
      await server?.stop();
      tmp.cleanup();
    });

    it('pushes with basic auth, the password read from the named variable', async () => {
      const registry = createOciDistributionRegistry(config, { REGISTRY_PASSWORD: PASSWORD });
      try {
        const pushed = await registry.push(image, 'auth-ok', image.tag);
        assert.equal(pushed.digest, image.manifest.digest);
        assert.equal(await registry.resolve('auth-ok', image.tag), image.manifest.digest);
        assert.doesNotMatch(registry.describe('auth-ok'), /secret|deployer/);
      } finally {
        await registry.dispose?.();
      }
    });

    it('refuses a wrong password clearly, and tags nothing', async () => {
      const wrong = createOciDistributionRegistry(config, { REGISTRY_PASSWORD: 'secret-but-wrong' }, fast);
      const err = await captureError(() => wrong.push(image, 'auth-wrong', image.tag));
      await wrong.dispose?.();
      assert.equal(err.code, 'E_PUSH_FAILED');
      assert.match(err.message, new RegExp(`^authentication failed for ${server.url} as deployer`));
      assert.equal(err.isInputError, false, 'a refused push is a failed deploy (exit 1), not bad input');

      const right = createOciDistributionRegistry(config, { REGISTRY_PASSWORD: PASSWORD });
      assert.equal(await right.resolve('auth-wrong', image.tag), undefined);
      await right.dispose?.();
    });

    it('names a missing password variable, not a value', async () => {
      const registry = createOciDistributionRegistry(config, {});
      const err = await captureError(() => registry.push(image, 'auth-missing', image.tag));
      await registry.dispose?.();
      assert.equal(err.code, 'E_INVALID_INPUT');
      assert.match(err.message, /REGISTRY_PASSWORD/);
    });

    it('says "authentication failed" without credentials configured', async () => {
      const anonymous = createOciDistributionRegistry(
        { ...config, username: undefined, password_env: undefined },
        {},
        fast,
      );
      const err = await captureError(() => anonymous.resolve('auth-ok', image.tag));
      await anonymous.dispose?.();
      assert.match(
        err.message,
        /^authentication failed for http:\/\/127\.0\.0\.1:\d+ \(no credentials configured\)/,
      );
    });

    it('reports an unreachable registry as such', async () => {
      const url = `http://127.0.0.1:${await findFreePort()}`;
      const registry = createOciDistributionRegistry(
        { ...config, url },
        { REGISTRY_PASSWORD: PASSWORD },
        fast,
      );
      const err = await captureError(() => registry.push(image, 'nowhere', image.tag));
      await registry.dispose?.();
      assert.equal(err.code, 'E_PUSH_FAILED');
      assert.match(err.message, new RegExp(`^registry ${url} unreachable: connection refused`));
    });
  },
);
