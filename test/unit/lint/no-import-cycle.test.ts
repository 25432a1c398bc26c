import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';

// The rule lives outside src/ (eslint/no-import-cycle.js); it is loaded the way eslint.config.js
// loads it, by a config file written next to the modules under test.
const repo = resolve(import.meta.dirname, '..', '..', '..', '..');
const rule = pathToFileURL(join(repo, 'eslint', 'no-import-cycle.js')).href;
const parser = pathToFileURL(createRequire(import.meta.url).resolve('typescript-eslint')).href;

/** Lints every module of `files` with only the cycle rule on; returns `file: message` lines. */
async function cycles(files: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-lint-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    writeFileSync(
      join(dir, 'eslint.config.mjs'),
      `import cycles from '${rule}';\nimport tseslint from '${parser}';\n` +
        `export default [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser },` +
        ` plugins: { cutover: cycles }, rules: { 'cutover/no-import-cycle': 'error' } }];\n`,
    );
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: join(dir, 'eslint.config.mjs') });
    const results = await eslint.lintFiles(Object.keys(files));
    return results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(dir.length + 1)}: ${m.message}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a value import back is a cycle, named with its whole chain from both ends', async () => {
  const found = await cycles({
    'a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
    'b.ts': "import { c } from './c.js';\nexport const b = () => c;\n",
    'c.ts': "import { a } from './a.js';\nexport const c = () => a;\n",
  });
  assert.deepEqual(found.sort(), [
    'a.ts: import cycle: a.ts → b.ts → c.ts → a.ts',
    'b.ts: import cycle: b.ts → c.ts → a.ts → b.ts',
    'c.ts: import cycle: c.ts → a.ts → b.ts → c.ts',
  ]);
});

test('type-only imports count: a cycle of types is a cycle', async () => {
  const found = await cycles({
    'core.ts': "import type { Port } from './port.js';\nexport type Event = { port: Port };\n",
    'port.ts': "import type { Event } from './core.js';\nexport type Port = { on(e: Event): void };\n",
  });
  assert.equal(found.length, 2, found.join('\n'));
  assert.match(found[0]!, /import cycle: core\.ts → port\.ts → core\.ts/);
});

test('re-exports and dynamic imports are followed; a chain with no way back is fine', async () => {
  assert.deepEqual(
    await cycles({
      'index.ts': "export * from './model.js';\n",
      'model.ts': "export const load = () => import('./index.js');\n",
    }).then((f) => f.length),
    2,
  );
  assert.deepEqual(
    await cycles({
      'a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'b.ts': "import { readFileSync } from 'node:fs';\nexport const b = readFileSync;\n",
    }),
    [],
  );
});
