import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { CutoverError } from '../core/errors.js';
import { flattenIssues } from '../core/schema/issues.js';

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new CutoverError('E_INVALID_INPUT', `${what} ${path}: ${why}`);
  }
}

/** Line of the YAML node at `path` (or its nearest existing parent), for `file:line:` prefixes. */
function lineOf(doc: Document, counter: LineCounter, path: ReadonlyArray<PropertyKey>): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/**
 * Reads a YAML file and validates it. Syntax errors and schema issues are reported all at once,
 * each as `file:line: path: message`, in one E_INVALID_INPUT (exit code 2).
 */
export function loadYamlFile<S extends z.ZodType>(path: string, schema: S, what: string): z.output<S> {
  const text = readText(path, what);
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      return `${path}:${pos ? `${pos.line}:${pos.col}` : '?'}: ${message}`;
    });
    throw new CutoverError('E_INVALID_INPUT', `${what} ${path} is not valid YAML:\n  ${lines.join('\n  ')}`, {
      errors: lines,
    });
  }
  return validateValue(doc.toJS() ?? {}, schema, what, path, (p) => lineOf(doc, counter, p));
}

export function validateValue<S extends z.ZodType>(
  value: unknown,
  schema: S,
  what: string,
  source: string,
  locate: (path: ReadonlyArray<PropertyKey>) => number | undefined = () => undefined,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.flatMap((issue) =>
    flattenIssues([issue]).map((msg) => {
      const line = locate(issue.path);
      return line === undefined ? `${source}: ${msg}` : `${source}:${line}: ${msg}`;
    }),
  );
  throw new CutoverError('E_INVALID_INPUT', `invalid ${what} ${source}:\n  ${lines.join('\n  ')}`, {
    errors: lines,
  });
}
