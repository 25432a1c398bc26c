// Bundles the CLI into one file, in place of tsc's dist/src/cli/main.js. Every cutover command
// starts Node and loads the CLI; as ~390 ES modules that cost about 0.45 s of CPU per start, as
// one file about half that (README, "The CLI"). Only the CLI is bundled: the runtime daemon,
// its router workers and the ssh agent bundle run from dist/src as tsc wrote it, and find it
// through src/lib/package-root.ts. Packages loaded on first use (src/lib/lazy-require.ts) and
// better-sqlite3's native addon stay in node_modules.
import { build } from 'esbuild';

const entry = 'dist/src/cli/main.js';
await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['better-sqlite3'],
  // CommonJS packages inside the bundle call require() for Node's own modules
  banner: {
    js: "import { createRequire as __cutoverRequire } from 'node:module';\nconst require = __cutoverRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
