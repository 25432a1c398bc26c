import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import { CutoverError } from '../../core/errors.js';
import { plainLog } from '../../lib/container-log.js';
import { daemonStatus } from '../../runtime/client/daemon-control.js';
import { resolveRuntimePaths, versionLogFile } from '../../runtime/client/paths.js';
import { readSavedSnapshot } from '../../runtime/client/state-file.js';
import { followFile } from '../logs/follow-file.js';
import { withApp } from '../with-app.js';

interface LogsOptions {
  version?: string;
  lines: string;
  follow?: boolean;
}

export function registerLogs(program: Command): void {
  program
    .command('logs <environment>')
    .description("print a version's output (stdout and stderr), whichever runner runs it")
    .option('--version <tag>', 'the version (default: the one taking the most traffic)')
    .option('--lines <n>', 'how many of the last lines to print first', '100')
    .option('-f, --follow', 'keep printing what it writes, until interrupted')
    .action((environment: string, opts: LogsOptions, cmd: Command) =>
      withApp(cmd, 'read', async (app) => {
        const lines = Number(opts.lines);
        if (!Number.isInteger(lines) || lines < 0)
          throw new CutoverError('E_INVALID_INPUT', `--lines: ${opts.lines} is not a count of lines`, {});
        const runtimeDir = app.runtimeDir(environment);
        const tag = opts.version ?? (await servingTag(app.stateDir, runtimeDir, environment));
        const file = versionLogFile(resolveRuntimePaths(app.stateDir, runtimeDir), environment, tag);
        const text = await readFile(file, 'utf8').catch(() => {
          throw new CutoverError('E_NOT_FOUND', `no output of ${tag} in ${environment} (${file})`, { file });
        });
        const shown = plainLog(text.slice(0, text.lastIndexOf('\n') + 1))
          .split('\n')
          .slice(0, -1);
        if (lines > 0 && shown.length > 0) process.stdout.write(`${shown.slice(-lines).join('\n')}\n`);
        if (!opts.follow) return;
        const stop = new AbortController();
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
        const from = text.lastIndexOf('\n') + 1;
        await followFile(
          file,
          Math.min(from, (await stat(file)).size),
          (t) => process.stdout.write(t),
          stop.signal,
        );
      }),
    );
}

/** The tag of the version taking the most traffic (the newest on a tie), running or saved. */
async function servingTag(
  stateDir: string,
  runtimeDir: string | undefined,
  environment: string,
): Promise<string> {
  const status = await daemonStatus(stateDir, runtimeDir);
  const versions = status.running
    ? (status.environments?.find((e) => e.environment === environment)?.versions ?? [])
    : (await readSavedSnapshot(resolveRuntimePaths(stateDir, runtimeDir).stateFile, environment)).versions;
  // Both lists are newest first, and the sort is stable.
  const top = [...versions].sort((a, b) => b.weight - a.weight)[0];
  if (!top) {
    throw new CutoverError('E_NOT_FOUND', `nothing runs in ${environment}; name a version with --version`, {
      environment,
    });
  }
  return top.release.tag;
}
