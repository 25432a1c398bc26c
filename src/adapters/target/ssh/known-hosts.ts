import { createHash, createHmac } from 'node:crypto';

/** A key known_hosts lists for a host: its type and its wire blob. */
export interface KnownKey {
  type: string;
  blob: Buffer;
}

interface Entry {
  matches: (name: string) => boolean;
  key: KnownKey;
  revoked: boolean;
}

/**
 * The keys an OpenSSH known_hosts file lists for `host` (and `port`): plain and `[host]:port`
 * names, comma lists, `*`/`?` patterns, hashed names (`|1|salt|hmac`), and `@revoked` lines.
 * `@cert-authority` lines are skipped: cutover pins host keys, it does not trust CAs.
 */
export function parseKnownHosts(text: string): (
  host: string,
  port: number,
) => {
  keys: KnownKey[];
  revoked: KnownKey[];
} {
  const entries = text.split('\n').flatMap((line) => parseLine(line.trim()));
  return (host, port) => {
    const name = port === 22 ? host : `[${host}]:${port}`;
    const hits = entries.filter((e) => e.matches(name));
    return {
      keys: hits.filter((e) => !e.revoked).map((e) => e.key),
      revoked: hits.filter((e) => e.revoked).map((e) => e.key),
    };
  };
}

/** `SHA256:<base64>`, as `ssh-keygen -l` prints a key's fingerprint. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function parseLine(line: string): Entry[] {
  if (line === '' || line.startsWith('#')) return [];
  let fields = line.split(/\s+/);
  let revoked = false;
  if (fields[0]?.startsWith('@')) {
    if (fields[0] === '@cert-authority') return [];
    revoked = fields[0] === '@revoked';
    fields = fields.slice(1);
  }
  const [names, type, base64] = fields;
  if (!names || !type || !base64) return [];
  const key = { type, blob: Buffer.from(base64, 'base64') };
  const patterns = names.split(',').map(matcherOf);
  const positive = patterns.filter((p) => !p.negated);
  const negative = patterns.filter((p) => p.negated);
  const matches = (name: string) => positive.some((p) => p.test(name)) && !negative.some((p) => p.test(name));
  return [{ matches, key, revoked }];
}

function matcherOf(pattern: string): { negated: boolean; test: (name: string) => boolean } {
  const negated = pattern.startsWith('!');
  const body = negated ? pattern.slice(1) : pattern;
  if (body.startsWith('|1|')) {
    const [, , salt, hash] = body.split('|');
    const key = Buffer.from(salt ?? '', 'base64');
    return { negated, test: (name) => createHmac('sha1', key).update(name).digest('base64') === hash };
  }
  const regex = new RegExp(
    `^${body
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return { negated, test: (name) => regex.test(name) };
}
