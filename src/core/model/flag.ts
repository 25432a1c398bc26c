export type FlagToggle = 'on' | 'off';

export interface FlagEnvironmentState {
  state: FlagToggle;
  /** 0–100: share of users (by Unleash-compatible bucketing) who see the flag on */
  percentage: number;
  /**
   * The store's own record of this state, opaque to cutover, when `state` and `percentage` do not
   * say all of it (Unleash: the environment's enabled bit and every strategy, by id). A flag store
   * given it back in `set` restores exactly that, so a rollback puts back what was there, not an
   * approximation of it. It is journaled with FLAG_START; it must hold no secret.
   */
  native?: unknown;
}
