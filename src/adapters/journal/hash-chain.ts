import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/canonical-json.js';
import type { DeployEvent } from '../../core/events.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  deploy_id: string;
  seq: number;
  at: string;
  event: DeployEvent;
}

/** `sha256(prev_hash ‖ canonical JSON of the row)`: shared by append and verify, so they cannot drift. */
export function hashRow(prevHash: string, row: ChainedFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalJson({ deploy_id: row.deploy_id, seq: row.seq, at: row.at, event: row.event }))
    .digest('hex');
}
