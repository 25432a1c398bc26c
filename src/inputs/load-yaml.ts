import { LineCounter, parseDocument, isMap } from 'yaml';
import type { z } from 'zod';
import { CutoverError } from '../core/errors.js';
import { describeIssues, isNameLike } from '../core/schema/issues.js';
import { readInputFile } from './read-input-file.js';
import { locate, type Located } from './yaml-locations.js';
import {
  describeContents,
  describeYamlError,
  MAX_ALIAS_COUNT,
  positionOf,
  whyNotData,
} from './yaml-problems.js';

/**
 * One E_INVALID_INPUT for every problem of one file. Its message is one line: the problem itself
 * when there is one, else `summary`; `details.errors` has one `file:line: path: message` line per
 * problem, which the CLI prints under the message.
 */
function inputError(what: string, problems: string[], summary = ''): CutoverError {
  const message = problems.length === 1 ? `${what} ${problems[0]}` : `${what} ${summary}`;
  return new CutoverError('E_INVALID_INPUT', message, { errors: problems });
}

/**
 * Reads a YAML file and validates it. Syntax errors and schema issues are reported all at once,
 * each as `file:line: path: message`, in one E_INVALID_INPUT (exit code 2). `display` is the path
 * as the operator gave it; `path` is where it is read from.
 */
export function loadYamlFile<S extends z.ZodType>(
  path: string,
  schema: S,
  what: string,
  display: string = path,
): z.output<S> {
  return validateYamlText(readInputFile(path, what, display), schema, what, display);
}

/** {@link loadYamlFile} on text already read: `display` names where it came from. */
export function validateYamlText<S extends z.ZodType>(
  text: string,
  schema: S,
  what: string,
  display: string,
): z.output<S> {
  const counter = new LineCounter();
  // logLevel error: the library's warnings go to stderr and quote the file (a collection as a key)
  const doc = parseDocument(text, {
    lineCounter: counter,
    uniqueKeys: true,
    prettyErrors: true,
    logLevel: 'error',
  });
  // A parser that has lost its way repeats itself at one spot: each distinct problem once.
  const seen = new Set<string>();
  const syntax = doc.errors
    .map((e) => ({ at: `${display}:${positionOf(e)}`, message: describeYamlError(e) }))
    .filter(({ at, message }) => !seen.has(`${at} ${message}`) && seen.add(`${at} ${message}`));
  if (syntax.length === 1)
    throw inputError(what, [`${syntax[0]!.at}: not valid YAML: ${syntax[0]!.message}`]);
  if (syntax.length > 1)
    throw inputError(
      what,
      syntax.map((e) => `${e.at}: ${e.message}`),
      `${display} is not valid YAML (${syntax.length} problems)`,
    );
  if (doc.contents !== null && !isMap(doc.contents))
    throw inputError(what, [
      `${display}: is ${describeContents(doc.contents)}, not key: value lines (is it the right file?)`,
    ]);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (err) {
    throw inputError(what, [`${display}: ${whyNotData((err as Error).message)}`]);
  }
  return validateValue(value, schema, what, display, locate(doc, counter));
}

export function validateValue<S extends z.ZodType>(
  value: unknown,
  schema: S,
  what: string,
  source: string,
  located: Located = { line: () => undefined },
): z.output<S> {
  // reportInput: a string field given a YAML number gets a hint showing what was written
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  if (isSomethingElse(value, parsed.error.issues))
    throw inputError(what, [`${source}: none of its keys is a ${what} key (is it the right file?)`]);
  const problems = describeIssues(parsed.error.issues, located.written)
    .map(({ path, text }) => ({ line: located.line(path), text }))
    // in the order of the file (the schema reports in its own order); a problem with no line first
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    .map(({ line, text }) => (line === undefined ? `${source}: ${text}` : `${source}:${line}: ${text}`));
  throw inputError(what, problems, `${source} has ${problems.length} problems`);
}

/**
 * A mapping none of whose keys the schema knows is another kind of file that happens to parse as
 * YAML (`/etc/shadow`, `/proc/self/status`): one line says so, listing none of its keys. Unless
 * it is one key, and a name: that reads as a typo in a file of optional keys, and is named.
 */
function isSomethingElse(value: unknown, issues: ReadonlyArray<z.core.$ZodIssue>): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const unknown = issues.find((i) => i.code === 'unrecognized_keys' && i.path.length === 0);
  return (
    unknown?.code === 'unrecognized_keys' &&
    unknown.keys.length === keys.length &&
    (keys.length > 1 || keys.some((key) => !isNameLike(key)))
  );
}
