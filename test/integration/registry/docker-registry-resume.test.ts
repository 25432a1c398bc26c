import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  createOciDistributionRegistry,
  type OciDistributionTuning,
} from '../../../src/adapters/registry/oci-distribution/index.js';
import type { Registry } from '../../../src/ports/registry.js';
import {
  startDockerRegistry,
  skipUnlessInstalled,
  type RunningRegistry,
} from '../../support/docker-registry.js';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js';
import { buildTestImage, type TestImage } from '../../support/oci-images.js';
import { makeTempDir } from '../../support/tmp.js';

const MiB = 1024 * 1024;
const chunked: Partial<OciDistributionTuning> = { chunkThreshold: MiB, chunkSize: MiB };
const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

/** Uploads through a proxy that cuts connections: they must resume, or start over, and succeed. */
describe(
  'oci-distribution uploads survive cut connections, against docker-registry',
  { skip: skipUnlessInstalled('docker-registry') },
  () => {
    let server: RunningRegistry;
    let proxy: FaultProxy;
    let image: TestImage;
    let direct: Registry;
    const tmp = makeTempDir('cutover-resume-');
    const open: Registry[] = [];
    const viaProxy = (tuning: Partial<OciDistributionTuning> = {}): Registry => {
      const registry = createOciDistributionRegistry(
        { type: 'oci-distribution', url: proxy.url, insecure: false, verify: 'digest' },
        {},
        { retry: fast, ...tuning },
      );
      open.push(registry);
      return registry;
    };
    const layerUploads = () =>
      proxy.requests.filter((r) => r.method === 'POST' && r.path.includes('/blobs/uploads/')).length;

    before(async () => {
      server = await startDockerRegistry();
      proxy = await startFaultProxy(server.url);
      direct = createOciDistributionRegistry(
        { type: 'oci-distribution', url: server.url, insecure: false, verify: 'full' },
        {},
      );
      // Random data does not compress: the layer is ~5 MiB, five chunks of 1 MiB.
      image = await buildTestImage(tmp.dir, {
        files: { 'big.bin': randomBytes(5 * MiB), 'server.js': 'ok\n' },
      });
    });
    beforeEach(() => {
      proxy.arm(undefined);
      proxy.requests.length = 0;
    });
    after(async () => {
      for (const registry of [...open, direct]) await registry?.dispose?.();
      await proxy?.close();
      await server?.stop();
      tmp.cleanup();
    });

    it('uploads a multi-MiB blob in chunks when it is over the threshold', async () => {
      const pushed = await viaProxy(chunked).push(image, 'chunked', image.tag);
      assert.equal(pushed.digest, image.manifest.digest);
      assert.ok(proxy.requests.filter((r) => r.method === 'PATCH').length >= 5, 'one PATCH per MiB');
      assert.equal(await direct.resolve('chunked', image.tag), image.manifest.digest);
      await direct.pull(
        { repository: 'chunked', tag: image.tag, digest: image.manifest.digest },
        `${tmp.dir}/pulled-chunked`,
      );
    });

    it('resumes a chunked upload cut between chunks from where the registry says it is', async () => {
      // config blob first, then two whole chunks of the layer go through, the third is cut off.
      proxy.arm({ kind: 'cut-upload', afterBytes: image.config.size + 2 * MiB });
      const pushed = await viaProxy(chunked).push(image, 'resumed', image.tag);
      assert.equal(pushed.digest, image.manifest.digest);
      assert.ok(
        proxy.requests.some((r) => r.fault === 'cut-upload'),
        'the connection was cut',
      );
      assert.ok(
        proxy.requests.some(
          (r) => r.method === 'GET' && r.path.includes('/blobs/uploads/') && r.status === 204,
        ),
        'asked for progress',
      );
      assert.equal(layerUploads(), 2, 'one upload for the config, one for the layer: resumed, not restarted');
      assert.equal(await direct.resolve('resumed', image.tag), image.manifest.digest);
    });

    it('starts over when the registry gave up an upload cut mid-chunk', async () => {
      proxy.arm({ kind: 'cut-upload', afterBytes: image.config.size + 2.5 * MiB });
      const pushed = await viaProxy(chunked).push(image, 'restarted', image.tag);
      assert.equal(pushed.digest, image.manifest.digest);
      assert.ok(proxy.requests.some((r) => r.fault === 'cut-upload'));
      assert.equal(await direct.resolve('restarted', image.tag), image.manifest.digest);
      await direct.pull(
        { repository: 'restarted', tag: image.tag, digest: image.manifest.digest },
        `${tmp.dir}/pulled-restarted`,
      );
    });

    it('retries a monolithic upload whose connection was cut', async () => {
      proxy.arm({ kind: 'cut-upload', afterBytes: image.config.size + MiB });
      const pushed = await viaProxy().push(image, 'monolithic-cut', image.tag);
      assert.equal(pushed.digest, image.manifest.digest);
      assert.ok(proxy.requests.some((r) => r.fault === 'cut-upload'));
      assert.equal(await direct.resolve('monolithic-cut', image.tag), image.manifest.digest);
    });
  },
);
