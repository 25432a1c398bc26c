import { CommanderError } from 'commander';
import { CutoverError } from '../core/errors.js';

/** A file that is not an input at all (a README, a log) can have hundreds of syntax errors. */
export const MAX_LISTED_PROBLEMS = 20;

/**
 * Escapes line breaks and other control characters: every line printed for an input error is one
 * line, whatever a file name, key or flag value held (and a terminal escape stays inert).
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => {
    const escaped = JSON.stringify(c).slice(1, -1);
    return escaped !== c ? escaped : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** Commander's own usage errors (`error: unknown option '--x'`) in cutover's error model. */
export function fromCommander(err: CommanderError): CutoverError {
  const message = err.message.replace(/^error: /, '');
  return new CutoverError('E_USAGE', `${message} (see cutover --help)`);
}

/**
 * What the CLI prints for an input or usage error (exit 2): `cutover: CODE: message` on one line,
 * then, when the error lists several problems (`details.errors`), one indented line per problem.
 */
export function inputErrorLines(error: CutoverError): string[] {
  const lines = [`cutover: ${error.code}: ${oneLine(error.message)}`];
  const problems = Array.isArray(error.details['errors']) ? (error.details['errors'] as unknown[]) : [];
  if (problems.length < 2) return lines;
  for (const problem of problems.slice(0, MAX_LISTED_PROBLEMS)) lines.push(`  ${oneLine(String(problem))}`);
  if (problems.length > MAX_LISTED_PROBLEMS)
    lines.push(`  … and ${problems.length - MAX_LISTED_PROBLEMS} more`);
  return lines;
}
