import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding cutover's package.json: the checkout, the installed package, or an
 * agent's release on a host. Files the code starts or ships (the daemon, the router workers,
 * the agent bundle) are found from it rather than from the module asking, because the CLI is
 * one bundled file (scripts/bundle-cli.mjs) whose modules no longer sit where tsc put them.
 */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A file of the built package, e.g. `dist/src/runtime/daemon/daemon-main.js`. */
export function packageFile(path: string): string {
  return join(PACKAGE_ROOT, path);
}

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir)
      throw new Error(`no package.json above ${from}: cutover is not installed whole`);
  }
}
