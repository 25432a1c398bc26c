import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** dist/src/cli/main.js, the built CLI as a user runs it. */
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI asynchronously (so load generators in the test keep running meanwhile). */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return runCommand(process.execPath, [CLI, ...args], options);
}

/** Runs `command` with `argv`, the environment being this process's plus `options.env`. */
export function runCommand(
  command: string,
  argv: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** `deploy -c <changeset> --env production --strategy <strategy> …extra`, the arguments of a deploy. */
export function deployArgs(changeset: string, strategy = 'fast-track', ...extra: string[]): string[] {
  return ['deploy', '-c', changeset, '--env', 'production', '--strategy', strategy, ...extra];
}

/** Parses `--output json` of deploy/status. */
export function resultOf(run: CliRun): Record<string, any> {
  try {
    return JSON.parse(run.stdout).deploy_result;
  } catch {
    throw new Error(`no JSON result (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

/** Runs `node argv…` and calls `then` once `marker` appears in its stderr; resolves when it exits. */
export function runUntil(
  argv: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  marker: string,
  then: () => void,
): Promise<CliRun & { marked: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let marked = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!marked && stderr.includes(marker)) {
        marked = true;
        then();
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, marked }));
  });
}
