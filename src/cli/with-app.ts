import type { Command } from 'commander';
import type { StateAccess } from '../adapters/state-dir/state-dir-error.js';
import { openApp, type App, type GlobalOptions } from './app.js';

/**
 * Runs one verb's work on the app its global options name, closing the app however `fn` ends.
 * `read` (status, log, audit verify|head, lock status) opens the state dir without creating or
 * changing anything in it; see {@link openApp}.
 */
export async function withApp<T>(
  cmd: Command,
  access: StateAccess,
  fn: (app: App) => Promise<T>,
): Promise<T> {
  const app = openApp(cmd.optsWithGlobals<GlobalOptions>(), { access });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
