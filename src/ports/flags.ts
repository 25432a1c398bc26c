import type { FlagEnvironmentState } from '../core/model/flag.js';

export type { FlagEnvironmentState, FlagToggle } from '../core/model/flag.js';

export interface FlagRecord {
  name: string;
  environments: Record<string, FlagEnvironmentState>;
}

/**
 * A feature-flag store.
 *
 * Contract:
 * - `get` returns undefined when the flag does not exist; an environment never set reads as off, 0 %.
 * - `set` is idempotent and throws `E_FLAG_MISSING` for an unknown flag; percentage 0–100.
 * - `create` makes a flag off in every environment and throws `E_WRONG_STATE` if it exists.
 */
export interface Flags {
  readonly name: string;
  get(flag: string, environment: string): Promise<FlagEnvironmentState | undefined>;
  set(flag: string, environment: string, state: FlagEnvironmentState): Promise<void>;
  create(flag: string): Promise<void>;
  list(): Promise<FlagRecord[]>;
  dispose?(): Promise<void>;
}
