import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { environmentNames, resolveEnvironment } from '../core/environments.js';
import type { Config } from '../core/schema/config.js';
import type { SessionContext } from '../executor/session/session.js';
import { environmentFlags, publishingFlags } from '../adapters/flags/publishing-flags.js';
import { anchorOnClose } from '../adapters/journal/anchor-on-close.js';
import { assertKeysOutsideStateDir, loadAuditKeys, type AuditKeys } from '../adapters/journal/audit-keys.js';
import { openJournalAnchor, type JournalAnchor } from '../adapters/journal/journal-anchor.js';
import { ensureStateDir } from '../adapters/state-dir/state-dir-error.js';
import { systemClock } from '../ports/clock.js';
import type { Flags } from '../ports/flags.js';
import type { Journal } from '../ports/journal.js';
import type { EnvironmentLocks } from '../ports/lock.js';
import type { ChangesetQueue } from '../ports/queue.js';
import { loadConfig } from '../inputs/load-inputs.js';
import { configuredSecrets } from '../inputs/secrets.js';
import { redactText } from '../core/redact.js';
import { createBuilder } from './adapters.js';
import { environmentAdapters } from './environment-adapters.js';
import { LeaseFences } from './lease-fences.js';
import type { HostConnection } from '../adapters/target/ssh/host-connection.js';
import { stateStores } from './state-stores.js';
import { publishToRuntime } from './flag-publication.js';
import { openFlagStores } from './flag-stores.js';
import { routerProcessCount } from '../runtime/client/router-processes.js';
import { sleep } from '../lib/long-timeout.js';
import { memo } from './lazy.js';
import { progressLine } from './output.js';
import { notifyAfterCommand } from './notify-after-command.js';
import type { AppOptions, GlobalOptions } from './app-options.js';

export type { AppOptions, GlobalOptions } from './app-options.js';

export interface App {
  stateDir: string;
  config: Config;
  /** the environment's `target.runtime_dir`, resolved; undefined for the state dir's runtime */
  runtimeDir(environment: string): string | undefined;
  journal(): Journal;
  /** journal-anchor.db: the journal's high-water mark and signed checkpoints */
  anchor(): JournalAnchor;
  /** the keys of cutover.yaml's `audit` section that `purpose` needs, checked (exit 2 if unusable) */
  auditKeys(purpose: 'sign' | 'verify'): AuditKeys;
  flags(): Flags;
  locks(): EnvironmentLocks;
  queue(): ChangesetQueue;
  context(progress: (line: string) => void): SessionContext;
  /** an ssh target's hosts (`hosts` verbs), one connection each; empty for a local target */
  hosts(environment: string): HostConnection[];
  close(): Promise<void>;
}

/** Opens the state dir lazily: a verb that never touches the journal never creates it. */
export function openApp(options: GlobalOptions, { access = 'write' }: AppOptions = {}): App {
  const stateDir = resolve(options.stateDir ?? process.env.CUTOVER_STATE_DIR ?? '.cutover');
  const { config, path: configPath } = loadConfig(options.config);
  const keyPlaces = { stateDir, configDir: configPath ? dirname(configPath) : process.cwd() };
  assertKeysOutsideStateDir(config.audit, keyPlaces);
  const auditKeys = (purpose: 'sign' | 'verify') => loadAuditKeys(config.audit, keyPlaces, purpose);
  const ensureDir = memo(() => ensureStateDir(stateDir));
  const anchorPath = join(stateDir, 'journal-anchor.db');
  // The journal, locks, queue and flags: the state dir's SQLite files, or the PostgreSQL store `state` names.
  const stores = stateStores(config.state, stateDir, access);
  const webhooks = notifyAfterCommand(config, { stateDir, configPath });
  const journal = memo((): Journal => {
    if (access === 'read') return stores.journal();
    // The keys first: a deploy with an unusable key must stop before it changes anything.
    webhooks.check();
    const { signer } = auditKeys('sign');
    return anchorOnClose(webhooks.watch(stores.journal()), {
      openAnchor: () => openJournalAnchor(anchorPath, 'write'),
      signer,
      now: () => systemClock.now(),
      warn: progressLine,
    });
  });
  const anchor = memo(() => openJournalAnchor(anchorPath, access));
  // Each SQLite file's opener creates the state dir first (write) or never (read). Each
  // environment's flags: cutover's own store (the state dir's, or PostgreSQL), or the Unleash
  // cutover.yaml names; the runtime serves them as the CLI publishes them (flag-publication.ts).
  const flagStore = memo(() => openFlagStores(config, () => stores.flags()));
  const locks = memo(() => stores.locks());
  const queue = memo(() => stores.queue());
  const environment = (name: string) => resolveEnvironment(config, name);
  // Outside text (a build's or an app's output) has these removed before it is reported.
  const secrets = configuredSecrets(config, process.env);
  const fences = new LeaseFences();
  const servedFlags = (env: string) => async () => environmentFlags(await flagStore().list(), env);
  const { registry, runtimeDir, target, peekTarget, metrics, connections, closeConnections } =
    environmentAdapters(
      environment,
      {
        stateDir,
        configDir: keyPlaces.configDir,
        servedFlags,
        metricsListen: config.runtime.metrics_listen,
        fence: fences.current,
      },
      secrets,
    );
  // an ssh target's agents get each change through their hosts' connections, a local one's daemon
  // through its socket
  const publish = publishToRuntime(stateDir, runtimeDir, connections);
  const flags = memo(() =>
    access === 'read' ? flagStore() : publishingFlags(flagStore(), publish, () => environmentNames(config)),
  );
  const disposables: Disposable[] = [];

  return {
    stateDir,
    config,
    runtimeDir,
    journal,
    anchor,
    auditKeys,
    flags,
    locks,
    queue,
    hosts: connections,
    context(progress) {
      // Before anything is journaled: a deploy would otherwise build and push, then fail at
      // APPLY when the daemon it starts refuses the value.
      routerProcessCount();
      // A reading verb (cutover plan) must not even create the state dir.
      if (access === 'write') ensureDir();
      return fences.attach({
        stateDir,
        config,
        journal: journal(),
        clock: systemClock,
        builder: createBuilder(secrets, environment, (env) => track(disposables, registry(env))),
        environment,
        registry: (env) => track(disposables, registry(env)),
        flags: () => flags(),
        locks,
        queue,
        target: (env) => track(disposables, access === 'read' ? peekTarget(env) : target(env)),
        metrics: (env) => track(disposables, metrics(env)),
        // Progress quotes outside text too (a step's error); it is redacted like the journal.
        progress: (line) => progress(redactText(line, secrets)),
        // observations and deadlines may wait up to 30 days, longer than one Node timer holds
        sleep,
        actor: process.env.CUTOVER_ACTOR ?? userInfo().username,
        secrets,
      });
    },
    async close() {
      for (const d of new Set(disposables)) await d.dispose?.();
      closeConnections();
      await (flags.peek() ?? flagStore.peek())?.dispose?.();
      await locks.peek()?.close();
      await queue.peek()?.close();
      await journal.peek()?.close();
      anchor.peek()?.close();
      webhooks.start();
    },
  };
}

type Disposable = { dispose?(): Promise<void> };

function track<T extends Disposable>(list: Disposable[], item: T): T {
  if (!list.includes(item)) list.push(item);
  return item;
}
