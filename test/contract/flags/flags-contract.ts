import { after, before, describe } from 'node:test';
import type { Flags } from '../../../src/ports/flags.js';
import { describeFlagBucketing } from './flag-bucketing.js';
import { describeFlagStates } from './flag-states.js';

/** A flag store for the whole suite (each test uses flags of its own), and how apps read it. */
export interface FlagsHarness {
  flags: Flags;
  /** closes the store and opens it again, as the next process would; `flags` is then the new one */
  reopen(): Promise<Flags>;
  /**
   * Whether each user sees `flag` on in `production`, asked the way the services ask (the
   * store's own evaluation API). Absent for a double that has none: the bucketing tests skip.
   */
  seenOn?(flag: string, users: string[]): Promise<boolean[]>;
  cleanup(): Promise<void>;
}

export type FlagsFactory = () => Promise<FlagsHarness>;

/** What the tests of one suite share: the harness once it exists, and fresh flag names. */
export interface FlagsSuite {
  harness(): FlagsHarness;
  /** a flag name no other test uses */
  fresh(label: string): string;
}

/**
 * The behaviour every Flags adapter must have (ports/flags.ts): flags off until set, per
 * environment, round-tripping what was set, refusing unknown flags and bad percentages with their
 * codes; and the percentage meaning the same users as the router's canary split (Unleash's
 * gradual-rollout bucketing), as the services see it.
 *
 * @example describeFlagsContract('embedded (sqlite, OFREP)', async () => ({ flags, reopen, seenOn, cleanup }));
 */
export function describeFlagsContract(name: string, factory: FlagsFactory): void {
  describe(`Flags contract: ${name}`, () => {
    let harness: FlagsHarness | undefined;
    let serial = 0;
    const suffix = Math.random().toString(36).slice(2, 8);
    before(async () => {
      harness = await factory();
    });
    after(() => harness?.cleanup());
    const suite: FlagsSuite = {
      harness: () => harness!,
      fresh: (label) => `ff-${label}-${(serial += 1)}-${suffix}`,
    };
    describeFlagStates(suite);
    describeFlagBucketing(suite);
  });
}
