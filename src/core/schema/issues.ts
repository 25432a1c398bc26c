import type { z } from 'zod';

/** The text of the value at `path` as the operator wrote it (a YAML scalar's source), if known. */
export type WrittenAt = (path: ReadonlyArray<PropertyKey>) => string | undefined;

/** One problem: where it is in the document, and its `path: message` line. */
export interface IssueLine {
  path: PropertyKey[];
  text: string;
}

/**
 * A key that is a name (`colour`, `APP_VERSION`) is shown when it is unknown; anything else is
 * not: a file that only happens to parse as YAML (`/etc/shadow`'s `root:*:…:` lines are keys)
 * must not be copied to the terminal.
 */
export const isNameLike = (key: string): boolean => /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(key);

/**
 * `canary.steps[2]`-style path, as operators read it in their YAML. A key that is not a name
 * (see {@link isNameLike}) shows as `(key)`: the line number says which one.
 */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const shown = isNameLike(String(key)) ? String(key) : '(key)';
      out += out === '' ? shown : `.${shown}`;
    }
  }
  return out;
}

/**
 * `version: 2.0` is the number 2 in YAML and `1.10` is 1.1: a string field given a number (or
 * a boolean) says what it would have become and how to quote what was written.
 */
function quoteHint(issue: z.core.$ZodIssueInvalidType, written: WrittenAt | undefined): string | undefined {
  const value = issue.input;
  if (issue.expected !== 'string' || (typeof value !== 'number' && typeof value !== 'boolean'))
    return undefined;
  const shown = written?.(issue.path) ?? String(value);
  const key = issue.path[issue.path.length - 1];
  const quoted = `${typeof key === 'string' && isNameLike(key) ? `${key}: ` : ''}${JSON.stringify(shown)}`;
  return typeof value === 'number'
    ? `${shown} is a number in YAML, which would become "${String(value)}"; quote it: ${quoted}`
    : `${shown} is a boolean in YAML, not text; quote it: ${quoted}`;
}

function describeIssue(issue: z.core.$ZodIssue, written: WrittenAt | undefined): IssueLine[] {
  const path = issue.path as PropertyKey[];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: [...path, key],
      text: isNameLike(key)
        ? `${formatPath([...path, key])}: unknown key`
        : `${formatPath(path) ? `${formatPath(path)}: ` : ''}unknown key (not shown: not a name)`,
    }));
  }
  const where = formatPath(path) || '(root)';
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    return [{ path, text: `${where}: is required` }];
  }
  const hint = issue.code === 'invalid_type' ? quoteHint(issue, written) : undefined;
  if (hint) return [{ path, text: `${where}: ${hint}` }];
  const message = issue.message.replace(/^Invalid (input|option): /, '');
  return [{ path, text: `${where}: ${message}` }];
}

/** Every issue, one `path: message` line each, in document order, with where each one is. */
export function describeIssues(issues: ReadonlyArray<z.core.$ZodIssue>, written?: WrittenAt): IssueLine[] {
  return issues.flatMap((issue) => describeIssue(issue, written));
}

/** Every issue, one `path: message` line each, in document order. */
export function flattenIssues(issues: ReadonlyArray<z.core.$ZodIssue>, written?: WrittenAt): string[] {
  return describeIssues(issues, written).map((issue) => issue.text);
}
