import { describe } from 'node:test';
import { createUnleashFlags } from '../../../src/adapters/flags/unleash-flags.js';
import { startUnleash } from '../../support/unleash.js';
import { skipUnlessUnleash } from '../../support/unleash.js';
import { startUnleashSdk } from '../../support/unleash-sdk.js';
import { describeFlagsContract, type FlagsHarness } from './flags-contract.js';

// The team's Unleash (unleash-server 8.2.0 on PostgreSQL), read the way its services read it: the
// official Node SDK with a production backend token. Unleash OSS has no staging environment, so
// cutover's staging is its development one, as cutover.yaml's flags.environment would say.
describe('Unleash flags', { skip: skipUnlessUnleash() }, () => {
  describeFlagsContract('unleash (Admin API, read by unleash-client)', async () => {
    const unleash = await startUnleash();
    const sdk = await startUnleashSdk(unleash);
    const open = () =>
      createUnleashFlags({
        url: unleash.url,
        project: 'default',
        token: unleash.adminToken,
        tokenEnv: 'UNLEASH_TOKEN',
        environments: { production: 'production', staging: 'development' },
      });
    const harness: FlagsHarness = {
      flags: open(),
      async reopen() {
        harness.flags = open();
        return harness.flags;
      },
      async seenOn(flag, users) {
        const state = await harness.flags.get(flag, 'production');
        if (!state) throw new Error(`${flag} is not in Unleash`);
        return sdk.seenOn(flag, state, users);
      },
      async cleanup() {
        sdk.destroy();
        await unleash.stop();
      },
    };
    return harness;
  });
});
