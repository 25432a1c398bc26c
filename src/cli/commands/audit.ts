import type { Command } from 'commander';
import { openApp, type GlobalOptions } from '../app.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('check the journal');
  audit
    .command('verify')
    .description('recompute the hash chain; exit 1 naming the first altered or missing row')
    .action(async (_opts: unknown, cmd: Command) => {
      const app = openApp(cmd.optsWithGlobals<GlobalOptions>(), { access: 'read' });
      try {
        const report = await app.journal().verify();
        if (report.ok) {
          process.stdout.write(`journal OK: ${report.rows} rows, hash chain intact\n`);
          return;
        }
        const deploy = report.deploy_id ? ` (deploy ${report.deploy_id})` : '';
        process.stdout.write(`journal TAMPERED: row ${report.bad_row}${deploy}: ${report.reason}\n`);
        process.exitCode = 1;
      } finally {
        await app.close();
      }
    });
}
