import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { DEFAULT_DOD_STEPS } from '../../src/core/schema/config.js';

const SERVER = `import { createServer } from 'node:http';
const v = process.env.APP_VERSION, healthy = process.env.HEALTHY !== 'false', broken = process.env.BROKEN === 'true';
const slowMs = Number(process.env.SLOW_MS ?? 0);
const failEvery = Number(process.env.FAIL_EVERY ?? 0);
let served = 0;
createServer((req, res) => {
  if (req.url === '/health') { res.writeHead(healthy ? 200 : 500); return res.end(healthy ? 'ok' : 'sick'); }
  const failing = broken || (failEvery > 0 && ++served % failEvery === 0);
  const answer = () => {
    res.writeHead(failing ? 500 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ version: v }));
  };
  if (slowMs > 0) setTimeout(answer, slowMs);
  else answer();
}).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

export interface SampleOptions {
  version: string;
  flag?: string;
  healthy?: boolean;
  /** answers 500 to everything but /health */
  broken?: boolean;
  /** answers everything but /health this many ms late */
  slowMs?: number;
  /** answers every nth request but /health with a 500 (2: half of them), health checks pass */
  failEvery?: number;
  dodDone?: number;
  rollbackPlan?: boolean;
  /** more keys of the changeset's `run` (resources, or a command of its own) */
  run?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

/** Writes a tiny app of its own and a changeset for it, from scratch, into `dir`. Returns the changeset path. */
export function writeSampleChangeset(dir: string, name: string, o: SampleOptions): string {
  mkdirSync(join(dir, 'app'), { recursive: true });
  // Every changeset shares the one app; rewriting it while a deploy builds it would hand that
  // build a truncated file.
  const server = join(dir, 'app', 'server.mjs');
  if (!existsSync(server) || readFileSync(server, 'utf8') !== SERVER) writeFileSync(server, SERVER);
  const done = o.dodDone ?? 9;
  const changeset = {
    id: name,
    service: 'shop',
    version: o.version,
    commit: '1234567890abcdef',
    source: './app',
    dod: DEFAULT_DOD_STEPS.slice(0, done).map((step) => ({ step, done: true })),
    feature_flag: o.flag ?? 'ff-shop',
    ...(o.rollbackPlan === false ? {} : { rollback_plan: { kind: 'previous-version' } }),
    run: {
      command: ['node', 'server.mjs'],
      env: {
        APP_VERSION: o.version,
        HEALTHY: String(o.healthy ?? true),
        BROKEN: String(o.broken ?? false),
        SLOW_MS: String(o.slowMs ?? 0),
        FAIL_EVERY: String(o.failEvery ?? 0),
      },
      ...o.run,
    },
    ...o.extra,
  };
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, stringify(changeset));
  return path;
}
