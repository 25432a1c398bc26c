import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { assertNever, CutoverError } from '../core/errors.js';
import type { Config } from '../core/schema/config.js';
import type { NotifyContext, NotifyTarget } from '../executor/notify/notify-context.js';
import type { JournalFeed, NotificationStore } from '../ports/notifications.js';
import { openPostgresNotifications } from '../adapters/notify/postgres-notifications.js';
import { openSqliteJournalFeed } from '../adapters/notify/sqlite-journal-feed.js';
import { openSqliteNotifications } from '../adapters/notify/sqlite-notifications.js';
import { undiciWebhookSender } from '../adapters/notify/undici-webhook-sender.js';
import { systemClock } from '../ports/clock.js';
import { sleep } from '../lib/long-timeout.js';
import type { StateAccess } from '../adapters/state-dir/state-dir-error.js';
import { postgresConnection } from './state-stores.js';

/** Shorter keys are refused: too weak for HMAC, and too short to be redacted from output. */
const MIN_SECRET_LENGTH = 16;

/**
 * cutover.yaml's webhooks with their HMAC keys, read from the variables `secret_env` names.
 * An unset or short key is a configuration error naming the entry and the variable (never the
 * value): a command that may journal events checks this before it changes anything.
 */
export function notifyTargets(config: Config, env: NodeJS.ProcessEnv = process.env): NotifyTarget[] {
  return config.notify.map(({ url, events, environments, secret_env }, index) => {
    const secret = env[secret_env];
    const where = `cutover.yaml: notify[${index}].secret_env`;
    if (!secret)
      throw new CutoverError(
        'E_USAGE',
        `${where}: ${secret_env} is not set: it must hold the key that signs the webhooks to ${url}`,
      );
    if (secret.length < MIN_SECRET_LENGTH)
      throw new CutoverError(
        'E_USAGE',
        `${where}: the key in ${secret_env} is shorter than ${MIN_SECRET_LENGTH} characters: use a random one, e.g. openssl rand -hex 32`,
      );
    return { url, events, ...(environments ? { environments } : {}), secret };
  });
}

/** Where deliveries are recorded and the journal read from: beside the journal, in its store. */
export function openNotifyStores(
  config: Config,
  stateDir: string,
  access: StateAccess,
): { store: NotificationStore; feed: JournalFeed } {
  const state = config.state;
  switch (state.type) {
    case 'sqlite':
      return {
        store: openSqliteNotifications(join(stateDir, 'notifications.db'), access),
        feed: openSqliteJournalFeed(join(stateDir, 'journal.db')),
      };
    case 'postgres': {
      const both = openPostgresNotifications(postgresConnection(state), { access });
      return { store: both, feed: { ...both, close: async () => undefined } };
    }
    default:
      return assertNever(state);
  }
}

/** A lease holder's name: where it runs, and a random part so two notifiers never share one. */
export function notifierHolder(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** The variables a flush needs: the keys, and the PostgreSQL URL when the state lives there. */
export function notifyEnvNames(config: Config): string[] {
  const names = config.notify.map((t) => t.secret_env);
  return config.state.type === 'postgres' ? [...names, config.state.url_env] : names;
}

/**
 * Everything a notifier runs on, for this state and cutover.yaml: `cutover notify flush`, and a
 * long-running server, which passes `ctx` to `startNotifier` and calls `close` after stopping it.
 * Throws the configuration error of a webhook whose key is missing.
 *
 * @example
 * const { ctx, close } = openNotifyContext(app.config, app.stateDir, (line) => log.warn(line));
 * const notifier = startNotifier(ctx);
 * // … on shutdown:
 * await notifier.stop();
 * await close();
 */
export function openNotifyContext(
  config: Config,
  stateDir: string,
  log?: (line: string) => void,
): { ctx: NotifyContext; close(): Promise<void> } {
  const targets = notifyTargets(config);
  const { store, feed } = openNotifyStores(config, stateDir, 'write');
  const sender = undiciWebhookSender();
  const ctx: NotifyContext = {
    store,
    feed,
    sender,
    targets,
    clock: systemClock,
    sleep,
    holder: notifierHolder(),
  };
  if (log) ctx.log = log;
  return {
    ctx,
    async close() {
      await sender.dispose?.();
      await store.close();
      await feed.close();
    },
  };
}
