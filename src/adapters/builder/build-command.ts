import { spawn } from 'node:child_process';
import { CutoverError } from '../../core/errors.js';

/** Output kept for the error message: enough to see why a build broke, bounded in memory. */
const TAIL_BYTES = 64 * 1024;
const TAIL_LINES = 20;

/**
 * Runs the changeset's `build.command` with `sh -c` in `cwd`, capturing stdout and stderr so that a
 * failure can say why. A non-zero exit or a signal is `E_BUILD_FAILED` with the last lines.
 */
export function runBuildCommand(command: string, cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let tail = Buffer.alloc(0);
    const keep = (chunk: Buffer): void => {
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > TAIL_BYTES) tail = tail.subarray(tail.length - TAIL_BYTES);
    };
    const child = spawn('sh', ['-c', command], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => {
      reject(
        new CutoverError(
          'E_BUILD_FAILED',
          `build command "${command}" could not start in ${cwd}: ${err.message}`,
          { command, cwd },
          err,
        ),
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolvePromise();
      const lines = lastLines(tail.toString('utf8'), TAIL_LINES);
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const shown = lines.length > 0 ? `; last output:\n${lines.join('\n')}` : ' with no output';
      reject(
        new CutoverError('E_BUILD_FAILED', `build command "${command}" ${how} in ${cwd}${shown}`, {
          command,
          cwd,
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
