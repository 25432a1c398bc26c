import { BASE_ENV_NAMES, pickAllowedEnv } from '../../core/allowed-env.js';
import { CutoverError } from '../../core/errors.js';
import { redactText, redactValue } from '../../core/redact.js';
import { describeEnd, describeOutput, runCaptured } from './run-captured.js';

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
export async function runBuildCommand(
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
  const run = await runCaptured('sh', ['-c', command], { cwd, env }).catch((err: Error) => {
    throw failure(`build command "${command}" could not start in ${cwd}: ${err.message}`, {}, err);
  });
  if (run.code === 0) return;
  throw failure(`build command "${command}" ${describeEnd(run)} in ${cwd}${describeOutput(run)}`, {
    exitCode: run.code,
    signal: run.signal,
    output: run.lines,
  });
}
