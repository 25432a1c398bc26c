import type { Command } from 'commander';
import { CutoverError } from '../../core/errors.js';
import { getFlag, setFlag } from '../../service/flags.js';
import { parseOutputFormat, printDocument } from '../output.js';
import { withApp } from '../with-app.js';

function parsePercentage(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 100)
    throw new CutoverError('E_USAGE', `--percentage: must be a whole number from 0 to 100, got "${value}"`);
  return n;
}

export function registerFlags(program: Command): void {
  const flags = program
    .command('flags')
    .description("each environment's flag store: the embedded one, or Unleash (cutover.yaml flags)");
  flags
    .command('create <name>')
    .description('create a flag, off in every environment')
    .action((name: string, _o: unknown, cmd: Command) =>
      withApp(cmd, 'write', async (app) => {
        await app.flags().create(name);
        process.stdout.write(`flag ${name} created (off everywhere)\n`);
      }),
    );
  flags
    .command('set <name>')
    .description("set a flag's state in one environment")
    .requiredOption('--env <environment>', 'environment')
    .requiredOption('--state <on|off>', 'on or off')
    .option('--percentage <n>', 'share of users who see it on (0–100; default 100 when on, 0 when off)')
    .action((name: string, o: { env: string; state: string; percentage?: string }, cmd: Command) =>
      withApp(cmd, 'write', async (app) => {
        if (o.state !== 'on' && o.state !== 'off')
          throw new CutoverError('E_USAGE', `--state: must be on or off, got "${o.state}"`);
        const asked = o.percentage === undefined ? undefined : parsePercentage(o.percentage);
        const { percentage } = await setFlag(app.flags(), name, o.env, o.state, asked);
        process.stdout.write(`flag ${name} ${o.state} ${percentage} % in ${o.env}\n`);
      }),
    );
  flags
    .command('get <name>')
    .description("show a flag's state (all environments, or one)")
    .option('--env <environment>', 'only this environment')
    .option('--output <format>', 'yaml or json', 'yaml')
    .action((name: string, o: { env?: string; output: string }, cmd: Command) =>
      withApp(cmd, 'write', async (app) => {
        const format = parseOutputFormat(o.output);
        const record = await getFlag(app.flags(), name);
        if (o.env === undefined) return printDocument(record, format);
        const { state, percentage } = (await app.flags().get(name, o.env))!;
        printDocument({ name, environment: o.env, state, percentage }, format);
      }),
    );
  flags
    .command('list')
    .description('list every flag and its states')
    .option('--output <format>', 'yaml or json', 'yaml')
    .action((o: { output: string }, cmd: Command) =>
      withApp(cmd, 'write', async (app) =>
        printDocument(await app.flags().list(), parseOutputFormat(o.output)),
      ),
    );
}
