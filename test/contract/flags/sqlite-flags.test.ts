import { join } from 'node:path';
import { openSqliteFlags } from '../../../src/adapters/flags/sqlite-flags.js';
import { routerUrl, startTestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';
import { describeFlagsContract, type FlagsHarness } from './flags-contract.js';

// The embedded store, evaluated by the services' way in: OFREP on the router port of a real
// runtime daemon reading the same file.
describeFlagsContract('embedded (sqlite, read over OFREP)', async () => {
  const runtime = await startTestRuntime();
  await runtime.client.putEnvironment('production', { port: 0 });
  const base = await routerUrl(runtime.client, 'production');
  const path = join(runtime.stateDir, 'flags.db');
  const harness: FlagsHarness = {
    flags: openSqliteFlags(path),
    async reopen() {
      await harness.flags.dispose?.();
      harness.flags = openSqliteFlags(path);
      return harness.flags;
    },
    async seenOn(flag, users) {
      const seen: boolean[] = [];
      for (const user of users) {
        const reply = await httpRequest(`${base}/ofrep/v1/evaluate/flags/${encodeURIComponent(flag)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ context: { targetingKey: user } }),
        });
        if (reply.status !== 200) throw new Error(`OFREP answered ${reply.status}: ${reply.body}`);
        seen.push((JSON.parse(reply.body) as { value: boolean }).value);
      }
      return seen;
    },
    async cleanup() {
      await harness.flags.dispose?.();
      await runtime.dispose();
    },
  };
  return harness;
});
