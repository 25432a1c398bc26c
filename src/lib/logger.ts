import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogFields = Record<string, unknown>;

/** Structured JSON-lines log: one `{at, level, msg, ...fields}` object per line. */
export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  close(): void;
}

/**
 * Appends synchronously: the daemon logs lifecycle events, never requests, so a blocking write is
 * cheap and a line is on disk before the process can die.
 */
export function createFileLogger(file: string): Logger {
  mkdirSync(dirname(file), { recursive: true });
  let fd: number | null = openSync(file, 'a');
  const write = (level: string, msg: string, fields: LogFields = {}): void => {
    if (fd === null) return;
    const line = JSON.stringify({ at: new Date().toISOString(), level, msg, ...fields }, replaceErrors);
    try {
      writeSync(fd, `${line}\n`);
    } catch {
      // A full disk must not take the router down with it.
    }
  };
  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    close: () => {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/** A logger that drops everything, for code run outside the daemon. */
export function createNullLogger(): Logger {
  const noop = (): void => undefined;
  return { info: noop, warn: noop, error: noop, close: noop };
}

function replaceErrors(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return code === undefined ? value.message : { code, message: value.message };
  }
  return value;
}
