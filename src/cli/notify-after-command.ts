import type { Config } from '../core/schema/config.js';
import type { Journal } from '../ports/journal.js';
import { notifyTargets } from './notify-setup.js';
import { spawnFlush, type FlushPlaces } from './spawn-flush.js';

/**
 * A command's webhooks: it checks their keys before the command changes anything (a command
 * that journals may trigger a delivery), notes its first journaled row, and once it has closed
 * its stores starts the flush in the background (spawn-flush.ts). Nothing is written for
 * webhooks while the command runs: the journal is the outbox (docs/architecture.md#webhooks).
 */
export function notifyAfterCommand(config: Config, places: FlushPlaces) {
  let first: number | undefined;
  return {
    /** throws the configuration error of a webhook whose key is missing */
    check(): void {
      notifyTargets(config);
    },
    watch(journal: Journal): Journal {
      if (config.notify.length === 0) return journal;
      return {
        ...journal,
        name: journal.name,
        async append(...args) {
          const row = await journal.append(...args);
          first ??= row.id;
          return row;
        },
      };
    },
    /** after the command closed its stores: deliver what it journaled, without waiting for it */
    start(): void {
      if (first !== undefined && config.notify.length > 0) spawnFlush(config, places, first - 1);
    },
  };
}
