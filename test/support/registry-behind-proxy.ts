import { after, before, beforeEach } from 'node:test';
import {
  createOciDistributionRegistry,
  type OciDistributionTuning,
} from '../../src/adapters/registry/oci-distribution/index.js';
import type { Registry } from '../../src/ports/registry.js';
import { startDockerRegistry, type RunningRegistry } from './docker-registry.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { buildTestImage, type TestImage, type TreeSpec } from './oci-images.js';
import { makeTempDir } from './tmp.js';

export const MiB = 1024 * 1024;
/** Blobs of 1 MiB and more go in chunks of 1 MiB. */
export const CHUNKED: Partial<OciDistributionTuning> = { chunkThreshold: MiB, chunkSize: MiB };
/** Retries with next to no wait, so fault tests stay quick. */
export const FAST_RETRY = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

export interface RegistryBehindProxy {
  readonly proxy: FaultProxy;
  readonly image: TestImage;
  /** A client talking to the registry itself, verifying fully: what really got stored. */
  readonly direct: Registry;
  readonly tmpDir: string;
  /** A client going through the fault proxy with FAST_RETRY (disposed after the suite). */
  viaProxy(tuning?: Partial<OciDistributionTuning>): Registry;
}

/**
 * Registers the suite's hooks for a docker-registry behind a fault proxy: the registry, the proxy
 * (disarmed and its log cleared before each test), a test image of `files`, a direct client; all
 * closed after the suite. Call it inside `describe`; read the fields inside tests.
 */
export function useRegistryBehindProxy(tmpPrefix: string, files: TreeSpec): RegistryBehindProxy {
  let server: RunningRegistry;
  let proxy: FaultProxy;
  let image: TestImage;
  let direct: Registry;
  const tmp = makeTempDir(tmpPrefix);
  const open: Registry[] = [];

  before(async () => {
    server = await startDockerRegistry();
    proxy = await startFaultProxy(server.url);
    direct = createOciDistributionRegistry(
      { type: 'oci-distribution', url: server.url, insecure: false, verify: 'full' },
      {},
    );
    image = await buildTestImage(tmp.dir, { files });
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

  return {
    get proxy() {
      return proxy;
    },
    get image() {
      return image;
    },
    get direct() {
      return direct;
    },
    tmpDir: tmp.dir,
    viaProxy(tuning = {}) {
      const registry = createOciDistributionRegistry(
        { type: 'oci-distribution', url: proxy.url, insecure: false, verify: 'digest' },
        {},
        { retry: FAST_RETRY, ...tuning },
      );
      open.push(registry);
      return registry;
    },
  };
}
