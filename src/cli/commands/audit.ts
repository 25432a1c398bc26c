import type { Command } from 'commander';
import { auditJournal, type AuditReport } from '../../adapters/journal/audit-journal.js';
import { findDeployEvidence } from '../../adapters/journal/deploy-evidence.js';
import { formatHead, parseHead } from '../../core/journal-head.js';
import type { JournalHead } from '../../ports/journal.js';
import { openApp, type App, type GlobalOptions } from '../app.js';
import { parseOutputFormat, printDocument } from '../output.js';

async function withApp(
  cmd: Command,
  access: 'read' | 'write',
  fn: (app: App) => Promise<void>,
): Promise<void> {
  const app = openApp(cmd.optsWithGlobals<GlobalOptions>(), { access });
  try {
    await fn(app);
  } finally {
    await app.close();
  }
}

function audit(app: App, expectHead?: JournalHead): Promise<AuditReport> {
  return auditJournal(app.journal(), {
    anchors: app.anchor().read(),
    evidence: () => findDeployEvidence(app.stateDir),
    expectHead,
  });
}

/** One line on stdout and exit 1 unless `report` is OK. */
function failed(report: AuditReport): report is Extract<AuditReport, { ok: false }> {
  if (report.ok) return false;
  process.stdout.write(`journal ${report.verdict}: ${report.problem}\n`);
  process.exitCode = 1;
  return true;
}

export function registerAudit(program: Command): void {
  const group = program
    .command('audit')
    .description('check the journal, and anchor it outside the state dir');
  group
    .command('verify')
    .description(
      'recompute the hash chain and check it against every head recorded of it; exit 1 naming the first problem',
    )
    .option(
      '--expect-head <N:HASH>',
      'also check that row N still has this hash (printed earlier by audit head)',
    )
    .action(async (opts: { expectHead?: string }, cmd: Command) => {
      const expectHead =
        opts.expectHead === undefined ? undefined : parseHead(opts.expectHead, '--expect-head');
      await withApp(cmd, 'read', async (app) => {
        const report = await audit(app, expectHead);
        if (failed(report)) return;
        const notes = report.notes.map((n) => `; ${n}`).join('');
        process.stdout.write(`journal OK: ${report.head.rows} rows, hash chain intact${notes}\n`);
      });
    });
  group
    .command('head')
    .description('print the head of the verified chain as N:HASH (rows, hash of row N), to keep elsewhere')
    .option('--output <format>', 'text, yaml or json', 'text')
    .action(async (opts: { output: string }, cmd: Command) => {
      const format = opts.output === 'text' ? 'text' : parseOutputFormat(opts.output);
      await withApp(cmd, 'read', async (app) => {
        const report = await audit(app);
        // A head is worth keeping only if the chain it ends is intact.
        if (failed(report)) return;
        const head = await app.journal().head();
        if (format === 'text') process.stdout.write(`${formatHead(head)}\n`);
        else printDocument({ rows: head.rows, hash: head.hash }, format);
      });
    });
}
