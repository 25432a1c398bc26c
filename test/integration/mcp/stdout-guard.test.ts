import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../support/cli.js';

const GUARD = fileURLToPath(new URL('../../../src/mcp/stdout-guard.js', import.meta.url));

test('once claimed, stdout carries only what the protocol stream writes; the rest goes to stderr', async () => {
  // a process that claims stdout, then writes as a library and as the protocol would
  const script = `
    const { claimStdout } = await import(${JSON.stringify(GUARD)});
    const protocol = claimStdout();
    console.log('a stray progress line');
    process.stdout.write('another one\\n');
    protocol.write('{"jsonrpc":"2.0","id":1,"result":{}}\\n');
  `;
  const run = await runCommand(process.execPath, ['--input-type=module', '-e', script]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, '{"jsonrpc":"2.0","id":1,"result":{}}\n');
  assert.equal(run.stderr, 'a stray progress line\nanother one\n');
});
