import { CutoverError } from '../../core/errors.js';
import type { FlagEnvironmentState, FlagRecord } from '../../ports/flags.js';

/** What an environment never set reads as (ports/flags.ts). */
export const OFF: FlagEnvironmentState = { state: 'off', percentage: 0 };

/** Every store refuses the same percentages with the same words. */
export function checkPercentage(percentage: number): void {
  if (!Number.isInteger(percentage) || percentage < 0 || percentage > 100) {
    throw new CutoverError(
      'E_INVALID_INPUT',
      `percentage must be a whole number from 0 to 100, got ${percentage}`,
    );
  }
}

export function flagMissing(flag: string): CutoverError {
  return new CutoverError(
    'E_FLAG_MISSING',
    `flag "${flag}" does not exist (create it with: cutover flags create ${flag})`,
  );
}

export function flagExists(flag: string): CutoverError {
  return new CutoverError('E_WRONG_STATE', `flag "${flag}" already exists`);
}

export type FlagStateRow = { flag: string; environment: string } & FlagEnvironmentState;

/** `list`'s records from the flag names and every state row, in name order. */
export function flagRecords(names: string[], states: FlagStateRow[]): FlagRecord[] {
  return names.map((name): FlagRecord => {
    const environments: FlagRecord['environments'] = {};
    for (const s of states)
      if (s.flag === name) environments[s.environment] = { state: s.state, percentage: s.percentage };
    return { name, environments };
  });
}
