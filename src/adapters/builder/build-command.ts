import { spawn } from 'node:child_process';
import { BASE_ENV_NAMES, pickAllowedEnv } from '../../core/allowed-env.js';
import { CutoverError } from '../../core/errors.js';
import { redactText, redactValue } from '../../core/redact.js';
import { completeLines } from '../../core/tail-window.js';

/** Output kept for the error message: enough to see why a build broke, bounded in memory. */
const TAIL_BYTES = 64 * 1024;
const TAIL_LINES = 20;

/**
 * What every build command gets from the CLI's environment, beside the base allow-list (tools,
 * home, user, locale, time zone, temp dir): its shell, its terminal, whether it runs in CI, and
 * the reproducible-builds timestamp. Nothing that usually holds a credential: a build that needs
 * one (NPM_TOKEN, a proxy URL with a password) declares it in `build.pass_env`.
 */
export const BUILD_ENV_NAMES: readonly string[] = [
  ...BASE_ENV_NAMES,
  'SHELL',
  'TERM',
  'CI',
  'SOURCE_DATE_EPOCH',
];

export interface BuildCommandOptions {
  /** variables the changeset declares (`build.pass_env`), passed on from `env` when set there */
  passEnv?: readonly string[];
  /** the environment to pick from; the CLI's own by default */
  env?: NodeJS.ProcessEnv;
  /** values removed from the output before it goes into an error (the configured secrets) */
  secrets?: readonly string[];
}

/**
 * Runs the changeset's `build.command` with `sh -c` in `cwd`, with the allow-listed environment
 * only, capturing stdout and stderr so that a failure can say why. A non-zero exit or a signal is
 * `E_BUILD_FAILED` with the last lines, in which every secret and every passed variable's value
 * is `***`: the error is printed and journaled, and a journaled secret cannot be taken back.
 */
export function runBuildCommand(
  command: string,
  cwd: string,
  options: BuildCommandOptions = {},
): Promise<void> {
  const env = pickAllowedEnv(options.env ?? process.env, [...BUILD_ENV_NAMES, ...(options.passEnv ?? [])]);
  const passed = (options.passEnv ?? []).flatMap((name) => (env[name] === undefined ? [] : [env[name]]));
  const secrets = [...(options.secrets ?? []), ...passed];
  const failure = (message: string, details: Record<string, unknown>, cause?: unknown) =>
    new CutoverError(
      'E_BUILD_FAILED',
      redactText(message, secrets),
      redactValue({ command, cwd, ...details }, secrets),
      cause,
    );
  return new Promise((resolvePromise, reject) => {
    let tail = Buffer.alloc(0);
    let cut = false;
    const keep = (chunk: Buffer): void => {
      tail = Buffer.concat([tail, chunk]);
      if (tail.length <= TAIL_BYTES) return;
      tail = tail.subarray(tail.length - TAIL_BYTES);
      cut = true;
    };
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => {
      reject(failure(`build command "${command}" could not start in ${cwd}: ${err.message}`, {}, err));
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolvePromise();
      // Never the line the window cut: a secret cut there would escape redaction.
      const text = completeLines(tail.toString('utf8'), cut);
      const lines = lastLines(text, TAIL_LINES);
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const shown =
        lines.length > 0
          ? `; last output:\n${lines.join('\n')}`
          : cut && text === ''
            ? `; its last output line is longer than ${TAIL_BYTES / 1024} KiB: not shown`
            : ' with no output';
      reject(
        failure(`build command "${command}" ${how} in ${cwd}${shown}`, {
          exitCode: code,
          signal,
          output: lines,
        }),
      );
    });
  });
}

function lastLines(text: string, count: number): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0)
    .slice(-count);
}
