import { publishingFlags } from '../../../src/adapters/flags/publishing-flags.js';
import type { Flags } from '../../../src/ports/flags.js';
import { routerUrl, startTestRuntime } from '../../support/runtime-daemon.js';
import { httpRequest } from '../../support/runtime-http.js';
import type { FlagsHarness } from './flags-contract.js';

const ENVIRONMENTS = ['production', 'staging'];

/**
 * A store as the CLI uses it: every change published to a real runtime daemon (PUT /flags/:env,
 * cli/flag-publication.ts), and evaluated the services' way, OFREP on the environment's router.
 * The daemon is never told where the store is.
 */
export async function publishedFlagsHarness(
  open: () => Flags,
  close?: () => Promise<void>,
): Promise<FlagsHarness> {
  const runtime = await startTestRuntime();
  await runtime.client.putEnvironment('production', { port: 0 });
  const base = await routerUrl(runtime.client, 'production');
  const publish = async (env: string, flags: Parameters<typeof runtime.client.publishFlags>[1]) =>
    void (await runtime.client.publishFlags(env, flags));
  const published = () => publishingFlags(open(), publish, () => ENVIRONMENTS);
  const harness: FlagsHarness = {
    flags: published(),
    async reopen() {
      await harness.flags.dispose?.();
      harness.flags = published();
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
      await close?.();
      await runtime.dispose();
    },
  };
  return harness;
}
