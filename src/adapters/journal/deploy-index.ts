import type Database from 'better-sqlite3';
import { CutoverError } from '../../core/errors.js';
import type { DeploySummary, Journal, SettledDeploy } from '../../ports/journal.js';

const SUMMARY = 'SELECT deploy_id, environment, first_at, last_at, last_type, events FROM deploys';

/**
 * The journal's reads by deploy, from the `deploys` index (journal-schema.ts) rather than from
 * every row: listing costs O(deploys), the open ones O(open deploys), however long the history.
 */
export function deployIndex(db: Database.Database): Pick<
  Journal,
  'deploys' | 'deployPage' | 'openDeploys' | 'findDeploy'
> & {
  settle(done: readonly SettledDeploy[]): void;
} {
  const all = db.prepare<[], DeploySummary>(`${SUMMARY} ORDER BY first_id`);
  const inEnvironment = db.prepare<[string], DeploySummary>(
    `${SUMMARY} WHERE environment = ? ORDER BY first_id`,
  );
  const page = db.prepare<[number, number], DeploySummary>(
    `${SUMMARY} ORDER BY first_id DESC LIMIT ? OFFSET ?`,
  );
  const pageIn = db.prepare<[string, number, number], DeploySummary>(
    `${SUMMARY} WHERE environment = ? ORDER BY first_id DESC LIMIT ? OFFSET ?`,
  );
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM deploys');
  const countIn = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM deploys WHERE environment = ?',
  );
  const open = db.prepare<[], DeploySummary>(`${SUMMARY} WHERE settled_seq < last_seq ORDER BY first_id`);
  const byPrefix = db.prepare<[string], { deploy_id: string }>(
    "SELECT deploy_id FROM deploys WHERE deploy_id LIKE ? || '%' LIMIT 2",
  );
  const settleOne = db.prepare<[number, string, number]>(
    'UPDATE deploys SET settled_seq = ? WHERE deploy_id = ? AND last_seq = ?',
  );
  const settleAll = db.transaction((done: readonly SettledDeploy[]) => {
    for (const d of done) settleOne.run(d.seq, d.deployId, d.seq);
  });
  return {
    async deploys(environment) {
      return environment ? inEnvironment.all(environment) : all.all();
    },
    async deployPage({ environment, limit, offset }) {
      return environment === undefined
        ? { deploys: page.all(limit, offset), total: count.get()!.n }
        : { deploys: pageIn.all(environment, limit, offset), total: countIn.get(environment)!.n };
    },
    async openDeploys() {
      return open.all();
    },
    async findDeploy(idOrPrefix) {
      const matches = byPrefix.all(idOrPrefix);
      if (matches.length > 1)
        throw new CutoverError('E_INVALID_INPUT', `deploy id prefix "${idOrPrefix}" is ambiguous`);
      return matches[0]?.deploy_id;
    },
    settle(done) {
      settleAll.immediate(done);
    },
  };
}
