import { readFileSync, statSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EnvironmentFlag } from './flag-reader.js';

/** `<runtime dir>/flags.json`: what the CLIs last published, per environment. */
export interface PublishedFlagsFile {
  version: 1;
  environments: Record<string, { published_at: string; flags: EnvironmentFlag[] }>;
}

const EMPTY: PublishedFlagsFile = { version: 1, environments: {} };

/**
 * The flag states the CLI published to this daemon (PUT /flags/:env), as the daemon and each
 * router process read them. The file is replaced whole by a rename, so a read sees one
 * publication or the next; each read costs one stat, and the file is parsed again only when the
 * stat changed, so a publication is seen by the next evaluation in every router process.
 */
export class PublishedFlags {
  private seen = '';
  private content: PublishedFlagsFile = EMPTY;
  private byEnvironment = new Map<string, Map<string, EnvironmentFlag>>();

  constructor(readonly file: string) {}

  /** The environment's flags by name; undefined when nothing was published for it. */
  environment(environment: string): Map<string, EnvironmentFlag> | undefined {
    this.current();
    return this.byEnvironment.get(environment);
  }

  current(): PublishedFlagsFile {
    const stat = statSync(this.file, { throwIfNoEntry: false });
    const key = stat ? `${stat.ino}:${stat.mtimeMs}:${stat.size}` : '';
    if (key !== this.seen) {
      this.content = stat ? (JSON.parse(readFileSync(this.file, 'utf8')) as PublishedFlagsFile) : EMPTY;
      this.seen = key;
      this.byEnvironment = new Map(
        Object.entries(this.content.environments).map(([name, { flags }]) => [
          name,
          new Map(flags.map((f) => [f.name, f])),
        ]),
      );
    }
    return this.content;
  }
}

/**
 * Saves one environment's publication beside the others, through a temp file and a rename, so a
 * daemon killed mid-write keeps the previous publication whole and a restart serves it again.
 * The daemon is the only writer, and it chains its writes (runtime.ts).
 */
export async function savePublishedFlags(
  file: string,
  environment: string,
  flags: EnvironmentFlag[],
  at: Date,
): Promise<void> {
  const reader = new PublishedFlags(file);
  const next: PublishedFlagsFile = {
    version: 1,
    environments: {
      ...reader.current().environments,
      [environment]: { published_at: at.toISOString(), flags },
    },
  };
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`);
  await rename(tmp, file);
}
