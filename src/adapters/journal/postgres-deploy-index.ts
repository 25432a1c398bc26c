import { CutoverError } from '../../core/errors.js';
import type { DeploySummary, Journal, SettledDeploy } from '../../ports/journal.js';
import type { StoreQuery } from '../postgres/open-store.js';

const SUMMARY = 'SELECT deploy_id, environment, first_at, last_at, last_type, events FROM cutover.deploys';

/**
 * The journal's reads by deploy from `cutover.deploys`, which a trigger keeps in each append's
 * transaction (schema-migrations.ts), as deploy-index.ts does for SQLite: listing costs
 * O(deploys), the open ones O(open deploys).
 */
export function postgresDeployIndex(query: StoreQuery): Pick<
  Journal,
  'deploys' | 'deployPage' | 'openDeploys' | 'findDeploy'
> & {
  settle(done: readonly SettledDeploy[]): Promise<void>;
} {
  return {
    async deploys(environment) {
      return environment === undefined
        ? query<DeploySummary>('cutover.deploys', `${SUMMARY} ORDER BY first_id`)
        : query<DeploySummary>('cutover.deploys-in', `${SUMMARY} WHERE environment = $1 ORDER BY first_id`, [
            environment,
          ]);
    },
    async deployPage({ environment, limit, offset }) {
      const where = environment === undefined ? '' : 'WHERE environment = $3';
      const values = environment === undefined ? [limit, offset] : [limit, offset, environment];
      const deploys = await query<DeploySummary>(
        `cutover.deploys-page${where ? '-in' : ''}`,
        `${SUMMARY} ${where} ORDER BY first_id DESC LIMIT $1 OFFSET $2`,
        values,
      );
      const [counted] = await query<{ n: string }>(
        `cutover.deploys-count${where ? '-in' : ''}`,
        `SELECT COUNT(*) AS n FROM cutover.deploys ${where.replace('$3', '$1')}`,
        environment === undefined ? [] : [environment],
      );
      return { deploys, total: Number(counted!.n) };
    },
    async openDeploys() {
      return query<DeploySummary>(
        'cutover.deploys-open',
        `${SUMMARY} WHERE settled_seq < last_seq ORDER BY first_id`,
      );
    },
    async findDeploy(idOrPrefix) {
      const matches = await query<{ deploy_id: string }>(
        'cutover.deploys-prefix',
        'SELECT deploy_id FROM cutover.deploys WHERE starts_with(deploy_id, $1) LIMIT 2',
        [idOrPrefix],
      );
      if (matches.length > 1)
        throw new CutoverError('E_INVALID_INPUT', `deploy id prefix "${idOrPrefix}" is ambiguous`);
      return matches[0]?.deploy_id;
    },
    // One statement: all the marks land together, and a deploy an append moved past its seq
    // meanwhile (the trigger holds its row) is left open, as `WHERE last_seq` is evaluated again.
    async settle(done) {
      await query(
        'cutover.deploys-settle',
        `UPDATE cutover.deploys AS d SET settled_seq = s.seq
           FROM unnest($1::text[], $2::integer[]) AS s (deploy_id, seq)
          WHERE d.deploy_id = s.deploy_id AND d.last_seq = s.seq`,
        [done.map((d) => d.deployId), done.map((d) => d.seq)],
      );
    },
  };
}
