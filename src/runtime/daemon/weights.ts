import { CutoverError } from '../../core/errors.js';
import type { Version } from './version.js';

/**
 * Checks weights against the versions of an environment: each names a running, healthy version,
 * is an integer 0–100, and together they sum to 100 (or to 0, which takes every version out of
 * routing). Every problem is reported at once.
 */
export function validateWeights(
  environment: string,
  weights: Record<string, unknown>,
  versions: ReadonlyMap<string, Version>,
  starting: ReadonlySet<string>,
): Record<string, number> {
  const problems: string[] = [];
  let wrongState = false;
  let sum = 0;
  const valid: Record<string, number> = {};
  for (const [digest, weight] of Object.entries(weights)) {
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 100) {
      problems.push(`${digest}: weight must be an integer between 0 and 100`);
      continue;
    }
    const version = versions.get(digest);
    if (starting.has(digest)) {
      problems.push(`${digest}: is still starting`);
      wrongState = true;
    } else if (!version) {
      problems.push(`${digest}: is not running in ${environment}`);
    } else if (!version.serving) {
      problems.push(`${digest}: is ${version.state}, only a running healthy version can take traffic`);
      wrongState = true;
    }
    sum += weight;
    valid[digest] = weight;
  }
  if (problems.length === 0 && sum !== 100 && sum !== 0) {
    problems.push(`weights sum to ${sum}, they must sum to 100`);
  }
  if (problems.length > 0) {
    throw new CutoverError(
      wrongState ? 'E_WRONG_STATE' : 'E_INVALID_INPUT',
      `cannot route ${environment}: ${problems.join('; ')}`,
      { environment, problems },
    );
  }
  return valid;
}

/**
 * The weights once `digest` leaves routing: its share goes to the healthy version with the
 * largest weight (the newest on a tie), where the routing table already sends the users of
 * buckets nobody has. The weights then still sum to 100, so what a snapshot says is what serves,
 * and routing it again (a restore) is accepted.
 */
export function handOver(
  weights: Readonly<Record<string, number>>,
  digest: string,
  newestFirst: ReadonlyArray<Pick<Version, 'digest' | 'serving'>>,
): Record<string, number> {
  const rest = { ...weights };
  const share = rest[digest] ?? 0;
  delete rest[digest];
  let heir: string | undefined;
  for (const version of newestFirst) {
    const weight = rest[version.digest] ?? 0;
    if (version.serving && weight > 0 && weight > (heir === undefined ? 0 : (rest[heir] ?? 0)))
      heir = version.digest;
  }
  if (heir !== undefined) rest[heir] = (rest[heir] ?? 0) + share;
  return rest;
}
