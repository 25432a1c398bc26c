/**
 * A JSON Schema checker for the keywords `z.toJSONSchema` writes for cutover's output documents,
 * so a test can validate a document against the schema `cutover schema …` prints without a
 * dependency. A keyword it does not know fails the check: it never passes by ignoring one.
 */
type Schema = Record<string, unknown>;

const IGNORED = new Set(['$schema', 'title', 'description']);
const KNOWN = new Set([
  ...IGNORED,
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  'oneOf',
  'minimum',
  'maximum',
  'minItems',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** Every way `value` breaks `schema`, each as `path: problem`; empty when it conforms. */
export function checkJsonSchema(schema: Schema, value: unknown, path = '$'): string[] {
  const unknown = Object.keys(schema).filter((k) => !KNOWN.has(k));
  if (unknown.length)
    throw new Error(`${path}: schema keywords this checker does not know: ${unknown.join(', ')}`);
  const errors: string[] = [];
  const s = schema as {
    type?: string | string[];
    properties?: Record<string, Schema>;
    required?: string[];
    additionalProperties?: boolean | Schema;
    items?: Schema;
    enum?: unknown[];
    const?: unknown;
    anyOf?: Schema[];
    oneOf?: Schema[];
    minimum?: number;
    maximum?: number;
    minItems?: number;
  };
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => matchesType(value, t)))
      return [`${path}: is ${typeOf(value)}, not ${types.join(' or ')}`];
  }
  if (s.enum && !s.enum.some((e) => e === value))
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  if ('const' in s && s.const !== value)
    errors.push(`${path}: is ${JSON.stringify(value)}, not ${JSON.stringify(s.const)}`);
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) errors.push(`${path}: ${value} < ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) errors.push(`${path}: ${value} > ${s.maximum}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems)
      errors.push(`${path}: fewer than ${s.minItems} items`);
    if (s.items) value.forEach((v, i) => errors.push(...checkJsonSchema(s.items!, v, `${path}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in obj)) errors.push(`${path}: lacks ${key}`);
    for (const [key, v] of Object.entries(obj)) {
      const sub = s.properties?.[key];
      if (sub) errors.push(...checkJsonSchema(sub, v, `${path}.${key}`));
      else if (s.additionalProperties === false)
        errors.push(`${path}: has ${key}, which the schema does not allow`);
      else if (typeof s.additionalProperties === 'object')
        errors.push(...checkJsonSchema(s.additionalProperties, v, `${path}.${key}`));
    }
  }
  if (s.anyOf && !s.anyOf.some((sub) => checkJsonSchema(sub, value, path).length === 0))
    errors.push(`${path}: matches none of anyOf`);
  if (s.oneOf) {
    const matching = s.oneOf.filter((sub) => checkJsonSchema(sub, value, path).length === 0).length;
    if (matching !== 1) errors.push(`${path}: matches ${matching} of oneOf, not exactly 1`);
  }
  return errors;
}
