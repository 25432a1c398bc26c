import type { Command } from 'commander';
import { join } from 'node:path';
import { CutoverError } from '../../core/errors.js';
import { resolveEnvironment } from '../../core/environments.js';
import { hostStatus, setupHosts } from '../../adapters/target/ssh/host-report.js';
import { forgetHost } from '../../executor/session/forget-host.js';
import type { App } from '../app.js';
import { parseOutputFormat, printDocument, progressLine } from '../output.js';
import { parseSessionFlags, withSessionOptions, type SessionFlags } from '../session-options.js';
import { withApp } from '../with-app.js';

const ENV = ['--env <environment>', 'an environment whose target is ssh'] as const;

function sshEnvironment(app: App, name: string) {
  const env = resolveEnvironment(app.config, name);
  if (env.target.type !== 'ssh')
    throw new CutoverError(
      'E_USAGE',
      `--env ${name}: its target is ${env.target.type}, not ssh (environments.${name}.target.type in cutover.yaml)`,
    );
  return { ...env, target: env.target };
}

export function registerHosts(program: Command): void {
  const hosts = program.command('hosts').description("an ssh target's hosts: their agents, what they serve");
  hosts
    .command('setup')
    .description('make every host ready: Node and podman checked, the agent installed or upgraded, started')
    .requiredOption(...ENV)
    .action(async (o: { env: string }, cmd: Command) =>
      withApp(cmd, 'write', async (app) => {
        const env = sshEnvironment(app, o.env);
        const outcomes = await setupHosts(app.hosts(env.name), {
          cacheDir: join(app.stateDir, 'cache'),
          needsPodman: env.target.runner === 'podman',
          parallel: env.target.rollout.parallel,
        });
        for (const r of outcomes) {
          const agent = 'agent' in r && r.agent ? ` (agent ${r.agent})` : '';
          process.stdout.write(`${r.host} ${r.state}${agent}${r.reason ? `: ${r.reason}` : ''}\n`);
        }
        const bad = outcomes.filter((r) => r.state === 'unreachable' || r.state === 'refused');
        process.exitCode = bad.length > 0 ? 1 : 0;
      }),
    );
  hosts
    .command('status')
    .description('per host: agent version, what serves, weights, health')
    .requiredOption(...ENV)
    .option('--output <format>', 'yaml or json', 'yaml')
    .action(async (o: { env: string; output: string }, cmd: Command) =>
      withApp(cmd, 'read', async (app) => {
        const format = parseOutputFormat(o.output);
        const env = sshEnvironment(app, o.env);
        const reports = await Promise.all(app.hosts(env.name).map((c) => hostStatus(c, env.name)));
        printDocument({ environment: env.name, hosts: reports }, format);
        process.exitCode = reports.every((r) => r.reachable) ? 0 : 1;
      }),
    );
  withSessionOptions(
    hosts
      .command('forget <host>')
      .description('journal that an unreconciled host will not be put back by cutover')
      .requiredOption(...ENV)
      .requiredOption('--reason <text>', 'why (journaled)'),
  ).action(async (host: string, o: SessionFlags & { env: string; reason: string }, cmd: Command) =>
    withApp(cmd, 'write', async (app) => {
      sshEnvironment(app, o.env);
      const deploys = await forgetHost(app.context(progressLine), {
        ...parseSessionFlags(o),
        environment: o.env,
        host,
        reason: o.reason,
      });
      process.stdout.write(`${host} forgotten in ${o.env} (deploy ${deploys.join(', ')})\n`);
    }),
  );
}
