import type { AttemptOutcome, DeliveryAttempt, DeliveryRecord } from '../../ports/notifications.js';

/** One stored attempt, as both stores keep it (PostgreSQL's bigint and integer come back as text). */
export interface AttemptRow {
  delivery_id: string;
  attempt: number | string;
  url: string;
  journal_id: number | string;
  deploy_id: string;
  event: string;
  at: string;
  status: number | string | null;
  error: string | null;
  outcome: string;
}

/** The columns an attempt is stored in, in this order, for both stores' INSERT. */
export function attemptValues(a: DeliveryAttempt): unknown[] {
  return [
    a.delivery_id,
    a.attempt,
    a.url,
    a.journal_id,
    a.deploy_id,
    a.event,
    a.at,
    a.status,
    a.error,
    a.outcome,
  ];
}

/**
 * Attempts (ordered by journal position, URL, attempt) folded into deliveries: a delivery is as
 * final as its last attempt says.
 */
export function groupAttempts(rows: readonly AttemptRow[]): DeliveryRecord[] {
  const byId = new Map<string, DeliveryRecord>();
  for (const row of rows) {
    let record = byId.get(row.delivery_id);
    if (!record) {
      record = {
        delivery_id: row.delivery_id,
        url: row.url,
        journal_id: Number(row.journal_id),
        deploy_id: row.deploy_id,
        event: row.event,
        outcome: 'pending',
        attempts: [],
      };
      byId.set(row.delivery_id, record);
    }
    const outcome = row.outcome as AttemptOutcome;
    record.attempts.push({
      attempt: Number(row.attempt),
      at: row.at,
      status: row.status === null ? null : Number(row.status),
      error: row.error,
      outcome,
    });
    record.outcome = outcome === 'retry' ? 'pending' : outcome;
  }
  return [...byId.values()];
}
