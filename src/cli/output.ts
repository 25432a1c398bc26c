import { stringify } from 'yaml';
import { CutoverError } from '../core/errors.js';

export type OutputFormat = 'yaml' | 'json';

export function parseOutputFormat(value: string): OutputFormat {
  if (value === 'yaml' || value === 'json') return value;
  throw new CutoverError('E_USAGE', `--output: must be yaml or json, got "${value}"`);
}

/** Documents go to stdout (machine-readable); progress goes to stderr (for people). */
export function printDocument(doc: unknown, format: OutputFormat): void {
  process.stdout.write(
    format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc, { lineWidth: 0 }),
  );
}

export function progressLine(line: string): void {
  process.stderr.write(`${line}\n`);
}
