import type { Config } from '../core/schema/config.js';
import type { ResolvedEnvironment } from '../core/environments.js';
import type { Builder } from '../ports/builder.js';
import type { Clock } from '../ports/clock.js';
import type { Flags } from '../ports/flags.js';
import type { Journal } from '../ports/journal.js';
import type { Fence } from '../ports/lock.js';
import type { Metrics } from '../ports/metrics.js';
import type { Registry } from '../ports/registry.js';
import type { Target } from '../ports/target.js';

/** Everything the executor acts through. Ports per environment are created lazily and cached. */
export interface ExecutorContext {
  stateDir: string;
  config: Config;
  journal: Journal;
  clock: Clock;
  builder: Builder;
  environment(name: string): ResolvedEnvironment;
  registry(environment: string): Registry;
  flags(environment: string): Flags;
  target(environment: string): Target;
  metrics(environment: string): Metrics;
  /** A line of human progress (stderr in the CLI). */
  progress(line: string): void;
  /** Waits; a port so tests of the loop need not sleep for real. */
  sleep(ms: number): Promise<void>;
  /** Who is acting: recorded in the journal. */
  actor: string;
  /**
   * The configured secret values (`configuredSecrets`): every event is redacted for them before
   * it is journaled, so outside text (a build's output) can never put one in the hash chain.
   */
  secrets: readonly string[];
  /** Checked before every side effect: throws when this process no longer holds the environment. */
  guard?: () => Promise<void>;
  /**
   * The fencing token of the lease the session holds, carried by every append: a journal that can
   * check it refuses the appends of a holder that stalled past its lease (`E_STALE_FENCING_TOKEN`).
   */
  fence?: Fence;
}
