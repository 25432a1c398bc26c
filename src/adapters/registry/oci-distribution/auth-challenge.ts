/** A parsed `WWW-Authenticate` challenge, e.g. `Bearer realm="…",service="…",scope="…"`. */
export interface AuthChallenge {
  scheme: 'basic' | 'bearer' | 'other';
  params: Record<string, string>;
}

/**
 * Parses the first challenge of a `WWW-Authenticate` header. Parameter values may be quoted and
 * contain commas and escaped quotes (`scope="repository:a:pull,push"`), so this is a small
 * tokenizer rather than a split on commas.
 */
export function parseChallenge(header: string | undefined): AuthChallenge | undefined {
  if (!header) return undefined;
  const match = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const name = (match[1] ?? '').toLowerCase();
  const scheme = name === 'basic' || name === 'bearer' ? name : 'other';
  return { scheme, params: parseParams(match[2] ?? '') };
}

function parseParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  const pattern = /\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/gy;
  for (let m = pattern.exec(text); m && m[0] !== ''; m = pattern.exec(text)) {
    const key = (m[1] ?? '').toLowerCase();
    params[key] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return params;
}

/** Scopes of a challenge's `scope` parameter; several are space-separated. */
export function splitScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(' ').filter((s) => s.length > 0);
}

/** Scope string for a repository, as the token service expects it. */
export function repositoryScope(repository: string, actions: 'pull' | 'pull,push'): string {
  return `repository:${repository}:${actions}`;
}
