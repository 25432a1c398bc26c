import { spawn } from 'node:child_process';
import { completeLines } from '../../core/tail-window.js';

/** Output kept for the error message: enough to see why a build broke, bounded in memory. */
const TAIL_BYTES = 64 * 1024;
const TAIL_LINES = 20;

export interface CapturedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** the last complete, non-empty lines of stdout and stderr together, trimmed */
  lines: string[];
  /** true when the window held no whole line: the last line is longer than the window */
  lineTooLong: boolean;
}

export interface CaptureOptions {
  cwd: string;
  env: Record<string, string>;
  /** each complete line as it comes (a build log streamed to the operator) */
  onLine?: (line: string) => void;
}

/**
 * Runs `file args` with stdout and stderr captured, keeping the last lines for a failure's
 * message and handing every line to `onLine` as it comes. Rejects only when it cannot start.
 */
export function runCaptured(file: string, args: string[], options: CaptureOptions): Promise<CapturedRun> {
  return new Promise((resolvePromise, reject) => {
    let tail = Buffer.alloc(0);
    let cut = false;
    const keep = (chunk: Buffer): void => {
      tail = Buffer.concat([tail, chunk]);
      if (tail.length <= TAIL_BYTES) return;
      tail = tail.subarray(tail.length - TAIL_BYTES);
      cut = true;
    };
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const streams = [child.stdout, child.stderr].map((stream) => {
      const lines = options.onLine ? splitLines(options.onLine) : undefined;
      stream.on('data', (chunk: Buffer) => {
        keep(chunk);
        lines?.push(chunk);
      });
      return lines;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const lines of streams) lines?.end();
      // Never the line the window cut: a secret cut there would escape redaction.
      const text = completeLines(tail.toString('utf8'), cut);
      const lines = text
        .split(/\r?\n/)
        .map((line) => line.trimEnd())
        .filter((line) => line.length > 0)
        .slice(-TAIL_LINES);
      resolvePromise({ code, signal, lines, lineTooLong: cut && text === '' });
    });
  });
}

/** `; last output:\n…`, or why there is none to show, for a failure's message. */
export function describeOutput(run: CapturedRun): string {
  if (run.lines.length > 0) return `; last output:\n${run.lines.join('\n')}`;
  return run.lineTooLong
    ? `; its last output line is longer than ${TAIL_BYTES / 1024} KiB: not shown`
    : ' with no output';
}

export function describeEnd(run: CapturedRun): string {
  return run.signal ? `was killed by ${run.signal}` : `exited with code ${run.code}`;
}

/** Cuts a byte stream into lines (the last one handed over at `end` even without its newline). */
function splitLines(onLine: (line: string) => void): { push(chunk: Buffer): void; end(): void } {
  let pending = '';
  return {
    push(chunk) {
      const parts = (pending + chunk.toString('utf8')).split(/\r?\n/);
      pending = parts.pop() ?? '';
      for (const line of parts) onLine(line);
    },
    end() {
      if (pending) onLine(pending);
      pending = '';
    },
  };
}
