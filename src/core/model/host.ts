/**
 * Where one host of a multi-host target stands in a deploy. `applying`: its change started and
 * nothing says how it ended (the executor died), so a rollback must put it back; `unreconciled`:
 * a rollback could not reach it, and until it is put back (or forgotten by an operator) the
 * environment is not what the journal says.
 */
export type HostStatus = 'applying' | 'applied' | 'failed' | 'restored' | 'unreconciled' | 'forgotten';

export interface HostRecord {
  host: string;
  environment: string;
  status: HostStatus;
  /** why it failed or could not be reconciled, or who forgot it and why */
  detail?: string;
}
