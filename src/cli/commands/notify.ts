import type { Command } from 'commander';
import { CutoverError } from '../../core/errors.js';
import { flushNotifications, registerTargets } from '../../executor/notify/flush-notifications.js';
import type { DeliveryRecord } from '../../ports/notifications.js';
import { openNotifyContext, openNotifyStores } from '../notify-setup.js';
import { parseOutputFormat, printDocument, progressLine } from '../output.js';
import { withApp } from '../with-app.js';

export function registerNotify(program: Command): void {
  program
    .command('notifications')
    .description("webhook deliveries (cutover.yaml's notify): each event sent, its attempts and outcome")
    .option('--deploy <deploy-id>', "only this deploy's (an id prefix is enough)")
    .option('--output <format>', 'text, yaml or json', 'text')
    .action((o: { deploy?: string; output: string }, cmd: Command) =>
      withApp(cmd, 'read', async (app) => {
        const deployId = o.deploy === undefined ? undefined : await findDeploy(app.journal(), o.deploy);
        const { store, feed } = openNotifyStores(app.config, app.stateDir, 'read');
        try {
          const deliveries = await store.deliveries(deployId ? { deployId } : {});
          if (o.output !== 'text') {
            const targets = await store.targets();
            return printDocument({ notifications: { targets, deliveries } }, parseOutputFormat(o.output));
          }
          if (deliveries.length === 0) process.stdout.write('no webhook deliveries\n');
          for (const d of deliveries) process.stdout.write(`${describeDelivery(d)}\n`);
        } finally {
          await store.close();
          await feed.close();
        }
      }),
    );
  program
    .command('notify')
    .description('webhooks')
    .command('flush')
    .description(
      'deliver the pending webhooks now and wait for them (commands that journal start one in the background)',
    )
    .option('--from <position>', 'where a URL not yet known starts in the journal (default: its head)')
    .action((o: { from?: string }, cmd: Command) =>
      withApp(cmd, 'write', async (app) => {
        const from = o.from === undefined ? undefined : parsePosition(o.from);
        if (app.config.notify.length === 0) return;
        const { ctx, close } = openNotifyContext(app.config, app.stateDir, progressLine);
        try {
          if (from === undefined) await registerTargets(ctx.store, ctx.feed, ctx.targets);
          else for (const { url } of ctx.targets) await ctx.store.register(url, from);
          await flushNotifications(ctx);
        } finally {
          await close();
        }
      }),
    );
}

async function findDeploy(journal: { findDeploy(id: string): Promise<string | undefined> }, id: string) {
  const found = await journal.findDeploy(id);
  if (!found) throw new CutoverError('E_NOT_FOUND', `--deploy: no deploy ${id} in the journal`);
  return found;
}

function parsePosition(value: string): number {
  if (!/^\d{1,15}$/.test(value))
    throw new CutoverError('E_USAGE', `--from: must be a journal position (a whole number), got "${value}"`);
  return Number(value);
}

/** `2026-11-29T07:01:02.000Z delivered DEPLOY_FAILED deploy 0193… → https://… (3 attempts; last HTTP 200)` */
function describeDelivery(d: DeliveryRecord): string {
  const last = d.attempts.at(-1);
  const detail = last?.error ?? (last?.status ? `HTTP ${last.status}` : 'none');
  const n = d.attempts.length;
  return `${last?.at ?? '-'} ${d.outcome} ${d.event} deploy ${d.deploy_id} → ${d.url} (${n} attempt${n === 1 ? '' : 's'}; last ${detail}; id ${d.delivery_id})`;
}
