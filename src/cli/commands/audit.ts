import type { Command } from 'commander';
import { extendAnchor } from '../../adapters/journal/anchor-on-close.js';
import type { AuditReport } from '../../adapters/journal/audit-journal.js';
import { CutoverError } from '../../core/errors.js';
import { formatHead, parseHead } from '../../core/journal-head.js';
import { auditState as audit } from '../../service/audit.js';
import { parseOutputFormat, printDocument } from '../output.js';
import { withApp } from '../with-app.js';

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
        const report = await audit(app, app.auditKeys('verify').verifier, expectHead);
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
        const report = await audit(app, app.auditKeys('verify').verifier);
        // A head is worth keeping only if the chain it ends is intact.
        if (!report.ok && report.verdict === 'TAMPERED') return void failed(report);
        const head = await app.journal().head();
        if (format === 'text') process.stdout.write(`${formatHead(head)}\n`);
        else printDocument({ rows: head.rows, hash: head.hash }, format);
      });
    });
  group
    .command('checkpoint')
    .description(
      "verify the journal, then record its head in journal-anchor.db: the high-water mark, signed with cutover.yaml's audit.signing_key when there is one",
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await withApp(cmd, 'write', async (app) => {
        const { signer, verifier } = app.auditKeys('sign');
        // A mark without the checkpoint that a configured key calls for would anchor nothing.
        if (verifier && !signer)
          throw new CutoverError(
            'E_USAGE',
            'audit checkpoint needs audit.signing_key in cutover.yaml: audit.public_key only verifies',
          );
        const report = await audit(app, signer);
        if (!report.ok && report.verdict === 'TAMPERED') return void failed(report);
        const result = await extendAnchor(app.journal(), app.anchor(), signer, new Date());
        if (!result.ok) throw new CutoverError('E_JOURNAL_CORRUPT', `journal TAMPERED: ${result.problem}`);
        const head = await app.journal().head();
        const [done, what] = signer ? ['checkpoint signed', 'sign'] : ['high-water mark recorded', 'record'];
        const line = result.mark
          ? `${done}: ${formatHead(result.mark)}`
          : head.rows === 0
            ? `nothing to ${what}: the journal is empty`
            : `already ${signer ? 'signed' : 'recorded'}: ${formatHead(head)}`;
        process.stdout.write(`${line}\n`);
      });
    });
}
