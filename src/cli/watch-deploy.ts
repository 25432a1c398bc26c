import { foldEvents } from '../core/fold-deploy.js';
import { buildResult } from '../core/result.js';
import type { DeployResult } from '../core/schema/result.js';
import { requireDeploy } from '../executor/require-deploy.js';
import { followJournal } from '../service/event-stream.js';
import { JournalTail } from '../service/journal-tail.js';
import { readLocks, staleness } from '../service/locks.js';
import type { App } from './app.js';
import { stateStores } from './state-stores.js';
import { summarizeEvent } from './summarize-event.js';

/** Phases a watched deploy is still moving out of by itself. */
const MOVING = new Set(['running', 'interrupted']);

/**
 * `cutover status <id> --watch`: prints the deploy's journal rows as `cutover log` does, then
 * each new one as it is appended — by this machine's CLI, a `cutover serve`, another executor on
 * the same PostgreSQL — until the deploy settles (anything but running or interrupted, its executor gone from the lock). Follows the
 * journal as `GET /api/events` does (service/event-stream.ts): a reading app's journal is a
 * snapshot, so the journal is opened again as a plain connection, which reads and never appends.
 */
export async function watchDeploy(
  app: App,
  idOrPrefix: string,
  line: (text: string) => void,
): Promise<DeployResult> {
  const deployId = await requireDeploy(app.journal(), idOrPrefix);
  const journal = stateStores(app.config.state, app.stateDir, 'write').journal();
  const tail = new JournalTail(journal, 100);
  const aborted = new AbortController();
  try {
    const rows = await journal.rows(deployId);
    for (const r of rows) line(format(r));
    const settled = async () => {
      const all = await journal.rows(deployId);
      const state = foldEvents(deployId, all);
      const live = (await readLocks(app, state.request.apply_environment)).filter((l) => !staleness(l));
      const result = buildResult(state, all, live.length > 0);
      // Its executor journals the deploy's last rows (DEPLOY_SUCCEEDED) after the decider is done:
      // it has settled once that executor let the environment go.
      const working = live.some((l) => l.owner.deploy_id === deployId);
      return MOVING.has(result.state) || working ? undefined : result;
    };
    let done = await settled();
    if (done) return done;
    await tail.start();
    for await (const item of followJournal(
      tail,
      journal,
      rows.at(-1)?.id ?? 0,
      { deploy: deployId },
      aborted.signal,
      1000,
    )) {
      if (item.kind === 'row') line(format(item.row));
      done = await settled();
      if (done) return done;
    }
    return (await settled())!;
  } finally {
    aborted.abort();
    tail.stop();
    await journal.close();
  }
}

function format(r: { seq: number; at: string; event: Parameters<typeof summarizeEvent>[0] }): string {
  return `${String(r.seq).padStart(3)}  ${r.at}  ${r.event.type.padEnd(17)} ${summarizeEvent(r.event)}`;
}
