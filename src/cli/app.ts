import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveEnvironment } from '../core/environments.js';
import type { Config } from '../core/schema/config.js';
import type { ExecutorContext } from '../executor/context.js';
import { openSqliteFlags } from '../adapters/flags/sqlite-flags.js';
import { openSqliteJournal } from '../adapters/journal/sqlite-journal.js';
import { openSqliteLocks } from '../adapters/lock/sqlite-locks.js';
import { openSqliteQueue } from '../adapters/queue/sqlite-queue.js';
import { systemClock } from '../ports/clock.js';
import type { Flags } from '../ports/flags.js';
import type { Journal } from '../ports/journal.js';
import type { EnvironmentLocks } from '../ports/lock.js';
import type { ChangesetQueue } from '../ports/queue.js';
import { loadConfig } from '../inputs/load-inputs.js';
import { configuredSecrets } from '../inputs/secrets.js';
import { redactText } from '../core/redact.js';
import { createBuilder, createMetrics, createRegistry, createTarget } from './adapters.js';
import { routerProcessCount } from '../runtime/router-processes.js';

export interface GlobalOptions {
  stateDir?: string;
  config?: string;
  verbose?: boolean;
}

export interface App {
  stateDir: string;
  config: Config;
  journal(): Journal;
  flags(): Flags;
  locks(): EnvironmentLocks;
  queue(): ChangesetQueue;
  context(progress: (line: string) => void): ExecutorContext;
  close(): Promise<void>;
}

/** A lazily made value; `peek` says whether it was ever made, so closing never opens anything. */
function memo<T>(make: () => T): (() => T) & { peek(): T | undefined } {
  let value: T | undefined;
  return Object.assign(() => (value ??= make()), { peek: () => value });
}

function perEnvironment<T>(make: (env: string) => T): (env: string) => T {
  const cache = new Map<string, T>();
  return (env) => {
    if (!cache.has(env)) cache.set(env, make(env));
    return cache.get(env)!;
  };
}

/** Opens the state dir lazily: a verb that never touches the journal never creates it. */
export function openApp(options: GlobalOptions): App {
  const stateDir = resolve(options.stateDir ?? process.env.CUTOVER_STATE_DIR ?? '.cutover');
  const { config } = loadConfig(options.config);
  const ensureDir = memo(() => mkdirSync(stateDir, { recursive: true }));
  const journal = memo(() => (ensureDir(), openSqliteJournal(join(stateDir, 'journal.db'))));
  const flags = memo(() => (ensureDir(), openSqliteFlags(join(stateDir, 'flags.db'))));
  const locks = memo(() => (ensureDir(), openSqliteLocks(join(stateDir, 'locks.db'))));
  const queue = memo(() => (ensureDir(), openSqliteQueue(join(stateDir, 'queue.db'))));
  const environment = (name: string) => resolveEnvironment(config, name);
  const registry = perEnvironment((env) => createRegistry(environment(env), stateDir));
  const target = perEnvironment((env) => createTarget(environment(env), stateDir));
  const metrics = perEnvironment((env) => createMetrics(environment(env), stateDir));
  const disposables: Disposable[] = [];

  return {
    stateDir,
    config,
    journal,
    flags,
    locks,
    queue,
    context(progress) {
      // Before anything is journaled: a deploy would otherwise build and push, then fail at
      // APPLY when the daemon it starts refuses the value.
      routerProcessCount();
      ensureDir();
      const secrets = configuredSecrets(config, process.env);
      return {
        stateDir,
        config,
        journal: journal(),
        clock: systemClock,
        builder: createBuilder(),
        environment,
        registry: (env) => track(disposables, registry(env)),
        flags: () => flags(),
        target: (env) => track(disposables, target(env)),
        metrics: (env) => track(disposables, metrics(env)),
        // Progress quotes outside text too (a step's error); it is redacted like the journal.
        progress: (line) => progress(redactText(line, secrets)),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        actor: process.env.CUTOVER_ACTOR ?? userInfo().username,
        secrets,
      };
    },
    async close() {
      for (const d of new Set(disposables)) await d.dispose?.();
      await flags.peek()?.dispose?.();
      await locks.peek()?.close();
      await queue.peek()?.close();
      await journal.peek()?.close();
    },
  };
}

type Disposable = { dispose?(): Promise<void> };

function track<T extends Disposable>(list: Disposable[], item: T): T {
  if (!list.includes(item)) list.push(item);
  return item;
}
