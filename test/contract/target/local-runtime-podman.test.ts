import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { createLocalRuntimeTarget } from '../../../src/adapters/target/local-runtime.js';
import { skipUnlessInstalled } from '../../support/docker-registry.js';
import { nodeBaseLayout } from '../../support/node-base-image.js';
import { removeImagesUnder } from '../../support/podman.js';
import { buildRunnableTestApp, type TestImage } from '../../support/runtime-apps.js';
import { startTestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';
import { describeTargetContract, type TargetHarness } from './target-contract.js';

// The real local runtime with the podman runner: versions are containers of runnable images
// (the app on the test Node base) pulled from an oci-layout registry, behind the same routers.
describeTargetContract(
  'local runtime, podman runner',
  async (): Promise<TargetHarness> => {
    const runtime = await startTestRuntime();
    const root = join(runtime.dir, 'registry');
    const build = (version: string, mode?: 'never-healthy') =>
      buildRunnableTestApp(runtime.dir, root, version, mode ? { mode } : {});
    let releases: TestImage[];
    let neverHealthy: TestImage;
    try {
      await cp((await nodeBaseLayout()).layoutDir, join(root, 'nodebase'), { recursive: true });
      releases = [await build('1.0.0'), await build('2.0.0'), await build('3.0.0')];
      neverHealthy = await build('9.9.9', 'never-healthy');
    } catch (err) {
      // The suite's after() never sees a harness that was not returned: stop its daemon here.
      await runtime.dispose();
      throw err;
    }
    const digestOf = new Map(releases.map((r) => [r.release.tag.split('-')[0], r.release.digest]));
    return {
      releases: releases as TargetHarness['releases'],
      neverHealthy,
      target: (environment) =>
        createLocalRuntimeTarget({
          stateDir: runtime.stateDir,
          environment,
          podman: { registry: 'oci-layout' },
        }),
      async servedBy(environment) {
        const { port } = await runtime.client.getEnvironment(environment);
        const reply = await httpRequest(`http://127.0.0.1:${port}/`);
        if (reply.status !== 200) return undefined;
        return digestOf.get((JSON.parse(reply.body) as { version: string }).version);
      },
      cleanup: async () => {
        await runtime.dispose();
        // What podman stored of this harness's images (named after their repository).
        await removeImagesUnder('localhost/shop');
      },
    };
  },
  { skip: skipUnlessInstalled('podman') },
);
