import type { App } from '../cli/app.js';
import { openNotifyContext } from '../cli/notify-setup.js';
import { startNotifier } from '../executor/notify/notifier.js';

/** A long-running process's webhooks: woken by its own appends, stopped when it closes. */
export interface ServiceWebhooks {
  wake(): void;
  close(): Promise<void>;
}

/**
 * cutover.yaml's `notify`, delivered by this process while it runs (every 2 s, and at once after
 * its own appends), so a deploy that `cutover serve` or `cutover mcp` runs is heard when it
 * happens rather than when the process stops. A command's background flush (the CLI's way) may
 * run beside it: the per-URL lease lets one of them deliver each event.
 */
export function serviceWebhooks(app: App, log: (line: string) => void): ServiceWebhooks {
  if (app.config.notify.length === 0) return { wake: () => undefined, close: async () => undefined };
  const { ctx, close } = openNotifyContext(app.config, app.stateDir, log);
  const notifier = startNotifier(ctx);
  return {
    wake: () => notifier.wake(),
    async close() {
      await notifier.stop();
      await close();
    },
  };
}
