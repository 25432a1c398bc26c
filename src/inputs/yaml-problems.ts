import { isScalar, isSeq, type YAMLError } from 'yaml';

/**
 * How many times aliases may repeat an anchor's content (the `yaml` package's own default, made
 * explicit): an input needs a handful; a billion-laughs bomb needs millions.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * Messages of the `yaml` package that carry text from the file in the middle of a sentence (an
 * escape, a tag, a directive): these get a fixed wording instead.
 */
const FIXED: Partial<Record<YAMLError['code'], string>> = {
  BAD_DQ_ESCAPE: 'invalid escape sequence in a double-quoted string',
  BAD_DIRECTIVE: 'unknown or unsupported % directive',
  TAG_RESOLVE_FAILED: 'unknown or invalid ! tag',
  BAD_COLLECTION_TYPE: 'a ! tag used on the wrong kind of collection',
  BAD_PROP_ORDER: 'anchors and tags must come after the - or ? indicator',
  BAD_SCALAR_START: 'a plain value cannot start with @ or `: quote it',
  RESOURCE_EXHAUSTION: 'nested too deeply',
  // the library's own advice (use parseAllDocuments) is for programmers
  MULTIPLE_DOCS: 'holds several YAML documents (---); an input file is one',
};

/**
 * One line for a YAML syntax error, never quoting the file: the input may not be YAML at all
 * (`-c /etc/shadow`). The library's messages for unexpected tokens end with the token (`Not a
 * YAML token: hunter2`, `…in YAML stream: "root:x:0:0…"`), and pretty ones with a snippet of the
 * line: only the wording before both is kept. Its other messages are fixed sentences.
 */
export function describeYamlError(error: YAMLError): string {
  const fixed = FIXED[error.code];
  if (fixed) return fixed;
  let sentence = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (error.code === 'UNEXPECTED_TOKEN') sentence = sentence.replace(/:\s.*$/, '');
  return sentence || `YAML syntax error (${error.code})`;
}

/** Where `error` is, as `line:column`, from the positions a LineCounter gave it. */
export function positionOf(error: YAMLError): string {
  const pos = error.linePos?.[0];
  return pos ? `${pos.line}:${pos.col}` : '?';
}

/** What a document that is not a mapping reads as, said without quoting it. */
export function describeContents(contents: unknown): string {
  if (isSeq(contents)) return 'a YAML list';
  if (isScalar(contents))
    return typeof contents.value === 'string' ? 'one YAML text value' : 'a single YAML value';
  return 'not a mapping';
}

/** Why Document.toJS threw: it checks aliases (and may run out of stack on a deep document). */
export function whyNotData(message: string): string {
  if (/excessive alias count/i.test(message))
    return `its aliases expand to too much (over ${MAX_ALIAS_COUNT} copies): an alias bomb?`;
  if (/unresolved alias/i.test(message)) return 'an alias (*name) has no anchor (&name) before it';
  return 'is nested too deeply';
}
