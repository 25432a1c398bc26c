import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteFlags } from '../../../src/adapters/flags/sqlite-flags.js';
import { describeFlagsContract } from './flags-contract.js';
import { publishedFlagsHarness } from './published-flags-harness.js';

// The embedded store as the CLI uses it: its changes published to the runtime, which serves the
// publication rather than the file (sqlite-flags.test.ts: a daemon nothing was published to).
describeFlagsContract('embedded (sqlite), published to the runtime and read over OFREP', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-flags-'));
  return publishedFlagsHarness(
    () => openSqliteFlags(join(dir, 'flags.db')),
    async () => rmSync(dir, { recursive: true, force: true }),
  );
});
