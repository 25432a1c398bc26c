import { join } from 'node:path';

/**
 * Where a runtime daemon keeps its socket, pid, log, state, images and logs, and where it finds
 * the flags it serves (what the CLIs published to it, else the flag store of the state dir whose
 * CLI started it).
 */
export interface RuntimePaths {
  dir: string;
  socket: string;
  pidFile: string;
  logFile: string;
  stateFile: string;
  imagesDir: string;
  logsDir: string;
  /** the state dir's embedded flag store: OFREP reads it for an environment nothing was published for */
  flagsFile: string;
  /** the flag states the CLIs published (PUT /flags/:env), which OFREP serves */
  publishedFlagsFile: string;
  /** the highest lease token each lock store showed the daemon (daemon/fence-book.ts) */
  fencesFile: string;
}

// Linux refuses unix socket paths longer than 107 bytes (sun_path is 108 with the NUL).
export const MAX_SOCKET_PATH_BYTES = 107;

/**
 * @param runtimeDir the daemon's own directory (cutover.yaml `target.runtime_dir`, absolute);
 *   by default `runtime` inside the state dir. Executors with different state dirs that name the
 *   same one act on one daemon, as they would on shared servers.
 */
export function resolveRuntimePaths(stateDir: string, runtimeDir?: string): RuntimePaths {
  const dir = runtimeDir ?? join(stateDir, 'runtime');
  return {
    dir,
    socket: join(dir, 'admin.sock'),
    pidFile: join(dir, 'daemon.pid'),
    logFile: join(dir, 'daemon.log'),
    stateFile: join(dir, 'state.json'),
    imagesDir: join(dir, 'images'),
    logsDir: join(dir, 'logs'),
    flagsFile: join(stateDir, 'flags.db'),
    publishedFlagsFile: join(dir, 'flags.json'),
    fencesFile: join(dir, 'fences.json'),
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
