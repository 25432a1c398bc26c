import type { RuntimePaths } from '../client/paths.js';
import { FlagReader, type EnvironmentFlag } from '../ofrep/flag-reader.js';
import { FlagSource } from '../ofrep/flag-source.js';
import { PublishedFlags, savePublishedFlags } from '../ofrep/published-flags.js';

/**
 * The daemon's flags: what its routers serve over OFREP, and the publications that change it
 * (PUT /flags/:env). The daemon never opens the CLI's flag store when it is PostgreSQL: it holds
 * no database credentials, as it holds no registry credentials (README, "Feature flags").
 */
export class ServedFlags {
  readonly source: FlagSource;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly paths: RuntimePaths) {
    this.source = new FlagSource(
      new PublishedFlags(paths.publishedFlagsFile),
      new FlagReader(paths.flagsFile),
    );
  }

  /**
   * Serves `flags` as the environment's from now on, in every router process and across
   * restarts; resolves once saved. Publications are saved one after the other, so the last one
   * answered is the one on disk.
   */
  publish(environment: string, flags: EnvironmentFlag[]): Promise<{ flags: number }> {
    const saved = this.saving.then(() =>
      savePublishedFlags(this.paths.publishedFlagsFile, environment, flags, new Date()),
    );
    this.saving = saved.catch(() => undefined);
    return saved.then(() => ({ flags: flags.length }));
  }

  close(): void {
    this.source.close();
  }
}
