import { createModelWorld } from '../../support/model-world.js';
import { describeBuilderContract } from './builder-contract.js';

// The builder the property test's world deploys with: the directory builder behind a one-shot
// fault hook, which with no fault injected must change nothing.
describeBuilderContract('model world', async () => {
  const world = createModelWorld(new Map(), { environment: 'production', versions: [] });
  return { builder: world.ctx.builder, cleanup: () => world.dispose() };
});
