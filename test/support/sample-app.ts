import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { DEFAULT_DOD_STEPS } from '../../src/core/schema/config.js';

const SERVER = `import { createServer } from 'node:http';
const v = process.env.APP_VERSION, healthy = process.env.HEALTHY !== 'false', broken = process.env.BROKEN === 'true';
createServer((req, res) => {
  if (req.url === '/health') { res.writeHead(healthy ? 200 : 500); return res.end(healthy ? 'ok' : 'sick'); }
  res.writeHead(broken ? 500 : 200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ version: v }));
}).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

export interface SampleOptions {
  version: string;
  flag?: string;
  healthy?: boolean;
  /** answers 500 to everything but /health */
  broken?: boolean;
  dodDone?: number;
  rollbackPlan?: boolean;
  extra?: Record<string, unknown>;
}

/** Writes a tiny app of its own and a changeset for it, from scratch, into `dir`. Returns the changeset path. */
export function writeSampleChangeset(dir: string, name: string, o: SampleOptions): string {
  mkdirSync(join(dir, 'app'), { recursive: true });
  writeFileSync(join(dir, 'app', 'server.mjs'), SERVER);
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
      env: { APP_VERSION: o.version, HEALTHY: String(o.healthy ?? true), BROKEN: String(o.broken ?? false) },
    },
    ...o.extra,
  };
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, stringify(changeset));
  return path;
}
