import type { z } from 'zod';

/** `canary.steps[2]`-style path, as operators read it in their YAML. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown key`);
  }
  const where = formatPath(issue.path) || '(root)';
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    return [`${where}: is required`];
  }
  const message = issue.message.replace(/^Invalid (input|option): /, '');
  return [`${where}: ${message}`];
}

/** Every issue, one `path: message` line each, in document order. */
export function flattenIssues(issues: ReadonlyArray<z.core.$ZodIssue>): string[] {
  return issues.flatMap(describeIssue);
}
