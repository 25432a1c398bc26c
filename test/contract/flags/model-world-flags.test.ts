import { createModelWorld } from '../../support/model-world.js';
import { describeFlagsContract, type FlagsHarness } from './flags-contract.js';

// The flag store the property test's world sets flags through: the embedded store behind a
// one-shot fault hook, which with no fault injected must change nothing. The world holds one
// connection for its life, so a reopen is a new handle on it; nothing serves OFREP from it.
describeFlagsContract('model world', async () => {
  const world = createModelWorld(new Map(), { environment: 'production', versions: [] });
  const harness: FlagsHarness = {
    flags: world.ctx.flags('production'),
    async reopen() {
      harness.flags = world.ctx.flags('production');
      return harness.flags;
    },
    cleanup: () => world.dispose(),
  };
  return harness;
});
