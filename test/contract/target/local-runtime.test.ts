import { createLocalRuntimeTarget } from '../../../src/adapters/target/local-runtime.js';
import { buildTestApp } from '../../support/runtime-apps.js';
import { startTestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';
import { describeTargetContract, type TargetHarness } from './target-contract.js';

// The real local runtime: one daemon for the suite, versions as processes behind each
// environment's router; what serves is asked of the router itself.
describeTargetContract('local runtime', async (): Promise<TargetHarness> => {
  const runtime = await startTestRuntime();
  const releases = await Promise.all(['1.0.0', '2.0.0', '3.0.0'].map((v) => buildTestApp(runtime.dir, v)));
  const neverHealthy = await buildTestApp(runtime.dir, '9.9.9', { mode: 'never-healthy' });
  const digestOf = new Map(releases.map((r) => [r.release.tag.split('-')[0], r.release.digest]));
  return {
    releases: releases as TargetHarness['releases'],
    neverHealthy,
    target: (environment) => createLocalRuntimeTarget({ stateDir: runtime.stateDir, environment }),
    async servedBy(environment) {
      const { port } = await runtime.client.getEnvironment(environment);
      const reply = await httpRequest(`http://127.0.0.1:${port}/`);
      if (reply.status !== 200) return undefined;
      return digestOf.get((JSON.parse(reply.body) as { version: string }).version);
    },
    cleanup: () => runtime.dispose(),
  };
});
