import { join } from 'node:path';

/**
 * Where the runtime daemon of one state dir keeps its socket, pid, log, state, images and logs,
 * and where it finds the flags it serves.
 */
export interface RuntimePaths {
  dir: string;
  socket: string;
  pidFile: string;
  logFile: string;
  stateFile: string;
  imagesDir: string;
  logsDir: string;
  /** the flag store the CLI writes; the daemon only reads it, for OFREP */
  flagsFile: string;
}

// Linux refuses unix socket paths longer than 107 bytes (sun_path is 108 with the NUL).
export const MAX_SOCKET_PATH_BYTES = 107;

export function resolveRuntimePaths(stateDir: string): RuntimePaths {
  const dir = join(stateDir, 'runtime');
  return {
    dir,
    socket: join(dir, 'admin.sock'),
    pidFile: join(dir, 'daemon.pid'),
    logFile: join(dir, 'daemon.log'),
    stateFile: join(dir, 'state.json'),
    imagesDir: join(dir, 'images'),
    logsDir: join(dir, 'logs'),
    flagsFile: join(stateDir, 'flags.db'),
  };
}

/** Makes a tag or environment name safe to use in a file name. */
export function toFileSafeName(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Where a version's output goes: one file per environment and tag, kept after it stops. */
export function versionLogFile(paths: RuntimePaths, environment: string, tag: string): string {
  return join(paths.logsDir, `${toFileSafeName(environment)}-${toFileSafeName(tag)}.log`);
}
