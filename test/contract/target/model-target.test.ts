import type { TargetRelease } from './target-contract.js';
import { ModelTarget } from '../../support/model-target.js';
import { describeTargetContract } from './target-contract.js';

const release = (version: string, hex: string): TargetRelease => ({
  release: { repository: 'shop', tag: `${version}-1234567-20250101`, digest: `sha256:${hex.repeat(64)}` },
  layoutDir: `/layouts/${version}`,
});

// The model the property test deploys to: it must keep the promises the runtime keeps, or the
// property test proves nothing. Its one way to fail a start is the fault hook.
describeTargetContract('model', async () => {
  const neverHealthy = release('9.9.9', 'f');
  return {
    releases: [release('1.0.0', 'a'), release('2.0.0', 'b'), release('3.0.0', 'c')],
    neverHealthy,
    target(environment) {
      const target = new ModelTarget(environment, { environment, versions: [] });
      target.faultOn = (digest, op) => op === 'start' && digest === neverHealthy.release.digest;
      return target;
    },
    cleanup: async () => undefined,
  };
});
