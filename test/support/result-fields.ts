/**
 * The fields every deploy result starts with, in this order: the seed's result document (see
 * docs/architecture.md, "Seed terms"). Written out here, not taken from src/, so that the tests
 * check the code against it.
 */
export const SEED_RESULT_FIELDS = [
  'status',
  'version',
  'environment',
  'flag_status',
  'actions_log',
  'baseline_snapshot',
  'timestamp',
];
