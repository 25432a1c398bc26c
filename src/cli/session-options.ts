import type { Command } from 'commander';
import { CutoverError } from '../core/errors.js';
import { readDuration } from '../core/schema/duration.js';
import type { SessionPolicy } from '../executor/session/session.js';

export interface SessionFlags {
  wait?: string;
  onInterrupted: string;
}

/** Adds the options of every verb that changes an environment: lock waiting and recovery policy. */
export function withSessionOptions(command: Command): Command {
  return command
    .option('--wait <duration>', "wait this long for the environment's lock instead of failing at once")
    .option(
      '--on-interrupted <policy>',
      'what to do with a deploy whose executor died: rollback or resume (when safe)',
      'rollback',
    );
}

export function parseSessionFlags(flags: SessionFlags): SessionPolicy {
  let waitMs = 0;
  if (flags.wait !== undefined) {
    // 0 is the default: fail at once when the lock is held.
    const wait = readDuration(flags.wait, true);
    if (!wait.ok) throw new CutoverError('E_USAGE', `--wait: ${wait.problem}`);
    waitMs = wait.ms;
  }
  if (flags.onInterrupted !== 'rollback' && flags.onInterrupted !== 'resume')
    throw new CutoverError(
      'E_USAGE',
      `--on-interrupted: must be rollback or resume, got "${flags.onInterrupted}"`,
    );
  return { waitMs, onInterrupted: flags.onInterrupted };
}
