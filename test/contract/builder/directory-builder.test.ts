import { createDirectoryBuilder } from '../../../src/adapters/builder/directory-image.js';
import { describeBuilderContract } from './builder-contract.js';

describeBuilderContract('directory', async () => ({
  builder: createDirectoryBuilder(),
  cleanup: async () => undefined,
}));
