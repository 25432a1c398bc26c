import type { EnvironmentFlag, FlagReader } from './flag-reader.js';
import type { PublishedFlags } from './published-flags.js';

/**
 * What OFREP serves for an environment: the flag states the CLI published to the daemon (every
 * store, PostgreSQL included, whose credentials the daemon never holds), or, for an environment
 * nothing was published for yet, the embedded store of the state dir whose CLI started the
 * daemon, read in place as before publication existed. See docs/architecture.md#flags-served-by-the-runtime.
 */
export class FlagSource {
  constructor(
    private readonly published: PublishedFlags,
    private readonly embedded: FlagReader,
  ) {}

  /** undefined when the flag does not exist (or there is no store yet). */
  read(flag: string, environment: string): EnvironmentFlag | undefined {
    const published = this.published.environment(environment);
    if (published) return published.get(flag);
    return this.embedded.read(flag, environment);
  }

  /** Every flag the environment sees, by name. */
  readAll(environment: string): EnvironmentFlag[] {
    const published = this.published.environment(environment);
    if (published) return [...published.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    return this.embedded.readAll(environment);
  }

  close(): void {
    this.embedded.close();
  }
}
