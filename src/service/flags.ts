import { CutoverError } from '../core/errors.js';
import type { FlagRecord, Flags, FlagToggle } from '../ports/flags.js';

/** `flags set`: a flag's state in one environment; on means 100 % and off 0 % unless said. */
export async function setFlag(
  flags: Flags,
  name: string,
  environment: string,
  state: FlagToggle,
  percentage?: number,
): Promise<{ name: string; environment: string; state: FlagToggle; percentage: number }> {
  const share = percentage ?? (state === 'on' ? 100 : 0);
  await flags.set(name, environment, { state, percentage: share });
  return { name, environment, state, percentage: share };
}

/** `flags get`: one flag in every environment; E_NOT_FOUND when it does not exist. */
export async function getFlag(flags: Flags, name: string): Promise<FlagRecord> {
  const record = (await flags.list()).find((f) => f.name === name);
  if (!record) throw new CutoverError('E_NOT_FOUND', `flag "${name}" does not exist`);
  return record;
}
