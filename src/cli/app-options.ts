import type { StateAccess } from '../adapters/state-dir/state-dir-error.js';

/** The options every verb takes (main.ts). */
export interface GlobalOptions {
  stateDir?: string;
  config?: string;
  verbose?: boolean;
}

/** How a verb opens the state dir (app.ts). */
export interface AppOptions {
  /**
   * `read` (status, log, audit verify|head, lock status, plan): the state dir's files are opened
   * without creating or changing anything, so a read-only state dir can still be inspected.
   */
  access?: StateAccess;
}
