import type { App } from '../cli/app.js';
import type { Journal } from '../ports/journal.js';
import { actingOperations } from './acting.js';
import { serviceWebhooks } from './webhooks.js';
import { followJournal, type EventFilter } from './event-stream.js';
import { authorize, type Identity } from './identity.js';
import { JournalTail } from './journal-tail.js';
import { readingOperations } from './reading.js';

export interface ServiceOptions {
  /** the server's own app (it deploys), opened for writing */
  app: App;
  /** opens a reading app on the same state, for what must change nothing (plan, traffic) */
  openReader(): App;
  /** progress of the deploys it runs, and what went wrong after a caller was answered */
  log(line: string): void;
  /** how often the journal is read for rows other processes appended (ms) */
  pollMs?: number;
}

/**
 * cutover as a set of operations for callers other than the CLI — the HTTP API, an MCP server:
 * each takes who asks ({name, role}), checks the role, and calls the functions the CLI verbs
 * call, on the same executor, lock and journal. See docs/architecture.md#cutover-serve.
 *
 * @example
 * const service = await openService({ app, openReader, log: console.error });
 * const { deploy_id } = await service.deploy({ name: 'ci', role: 'deployer' }, body);
 */
export async function openService(options: ServiceOptions) {
  const { app, openReader, log } = options;
  const journal = app.journal();
  const tail = new JournalTail(journal, options.pollMs, log);
  await tail.start();
  // cutover.yaml's webhooks, delivered while the process runs (not only when it stops)
  const webhooks = serviceWebhooks(app, log);
  // This process's appends wake the streams at once instead of at the next poll.
  const poking: App = {
    ...app,
    context(progress) {
      const ctx = app.context(progress);
      ctx.journal = onAppend(ctx.journal, () => {
        tail.poke();
        webhooks.wake();
      });
      return ctx;
    },
  };
  const acting = actingOperations(poking, log);
  return {
    ...readingOperations(app, openReader, log),
    ...acting,
    /** the journal's position now: where a stream without Last-Event-ID starts */
    position: () => tail.position,
    events(who: Identity, from: number, filter: EventFilter, signal: AbortSignal, idleMs?: number) {
      authorize(who, 'read', 'events');
      return followJournal(tail, journal, from, filter, signal, idleMs);
    },
    /** Stops the streams; running deploys go on until `settled` says they ended. */
    stop: () => tail.stop(),
    /** Stops the webhooks' notifier once the deploys have settled (or been given up on). */
    close: () => webhooks.close(),
    settled: (ms: number) => acting.work.settled(ms),
    running: () => acting.work.size,
  };
}

export type Service = Awaited<ReturnType<typeof openService>>;

function onAppend(journal: Journal, appended: () => void): Journal {
  return {
    ...journal,
    async append(...args) {
      const row = await journal.append(...args);
      appended();
      return row;
    },
  };
}
