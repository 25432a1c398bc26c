import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import cycles from './eslint/no-import-cycle.js';

/**
 * Who may import whom. src/runtime is split into rooms that import downwards only:
 *   client  <  ofrep, image  <  http  <  workers  <  daemon
 * client: the admin API's client and shapes, the one room the rest of src/ may import; http: the
 * router; workers: the router processes; daemon: admin API, supervisor, saved state (the top).
 * src/lib (OCI blobs, logger, timers) sits below every layer: it imports only core and ports.
 * These use typescript-eslint's copy of no-restricted-imports, so that they add to the core's
 * purity rule below (the base rule) instead of replacing it for the same files.
 */
// What each room may import besides itself (core, ports and lib are open to all).
const MAY_IMPORT = {
  client: [],
  ofrep: ['client'],
  image: ['client'],
  http: ['client', 'ofrep'],
  workers: ['client', 'ofrep', 'http'],
  daemon: ['client', 'ofrep', 'image', 'http', 'workers'],
};
const roomRule = (room) => {
  const forbidden = Object.keys(MAY_IMPORT).filter((r) => r !== room && !MAY_IMPORT[room].includes(r));
  const pattern = {
    regex: `^(\\.\\./)+(runtime/)?(${forbidden.join('|')})/`,
    message: `runtime/${room} may import only ${['core', 'ports', 'lib', ...MAY_IMPORT[room]].join(', ')}: the rooms import downwards (client < ofrep, image < http < workers < daemon)`,
  };
  return {
    files: [`src/runtime/${room}/**/*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [pattern] }] },
  };
};
const outsideRuntime = {
  regex: '(^|/)runtime/(?!client/)',
  message: 'outside src/runtime, import only src/runtime/client/ (the admin API client and its shapes)',
};
// The CLI parses, calls one executor function and prints; the executor never calls back into it.
const executorBelowCli = {
  regex: '^(\\.\\./)+cli/',
  message:
    'src/executor is called by the CLI and never imports it: what a verb needs comes in through its context',
};
const runtimeBoundaries = [
  {
    files: ['src/**/*.ts'],
    ignores: ['src/runtime/**', 'src/lib/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [outsideRuntime] }] },
  },
  {
    // One entry per file set holds all its patterns: a later entry's options replace an earlier one's.
    files: ['src/executor/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [outsideRuntime, executorBelowCli] }],
    },
  },
  ...Object.keys(MAY_IMPORT)
    .filter((room) => room !== 'daemon')
    .map(roomRule),
  {
    files: ['src/lib/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(runtime|adapters|executor|cli|inputs|server)/',
              message: 'src/lib is below every layer: it imports only core and ports',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cutover/', 'examples/**/node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read parsed JSON documents; typing every field there adds noise, not safety.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...runtimeBoundaries,
  {
    // No module of src/ imports itself back, types included (eslint/no-import-cycle.js):
    // import-x/no-cycle skips type-only imports, and a type cycle between core and ports is the
    // kind this rule is for (docs/architecture.md, "Map").
    files: ['src/**/*.ts'],
    plugins: { cutover: cycles },
    rules: { 'cutover/no-import-cycle': 'error' },
  },
  {
    // The core is pure: no I/O, no clock, no randomness. Enforced, not hoped for.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(node:|(${builtinModules.join('|')})(/|$))`,
              message: 'src/core does no I/O: files, network, processes and time come in through ports',
            },
            {
              regex: '^(undici|tar|tar-stream|better-sqlite3|pg|uuid)(/|$)',
              message: 'src/core does no I/O and makes no ids: the executor and the adapters do',
            },
            {
              regex: '^(\\.\\./)+(ports|adapters|executor|runtime|cli|inputs|lib)(/|$)',
              message:
                'src/core imports only itself: ports depend on core, never the reverse, and every other layer is above it',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: 'src/core loads no module at run time' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'pass the clock in' },
        { object: 'Math', property: 'random', message: 'pass randomness in' },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'examples/**/*.js', 'examples/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
      },
    },
  },
);
