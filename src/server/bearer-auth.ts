import { createHash, timingSafeEqual } from 'node:crypto';
import { CutoverError } from '../core/errors.js';
import type { TokenConfig } from '../core/schema/tokens-config.js';
import type { Identity } from '../service/identity.js';

/**
 * Who a request's `Authorization: Bearer <token>` is: the `tokens:` entry of cutover.yaml whose
 * token_sha256 is the token's SHA-256. Every entry is compared, each in constant time, so the
 * answer's timing says nothing of which hash, or how much of one, matched. The token itself is
 * never kept, logged or journaled: only the entry's name is.
 */
export function bearerIdentities(
  tokens: readonly TokenConfig[],
): (authorization: string | undefined) => Identity {
  const known = tokens.map((t) => ({ name: t.name, role: t.role, hash: Buffer.from(t.token_sha256, 'hex') }));
  return (authorization) => {
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(authorization ?? '');
    if (!match)
      throw new CutoverError(
        'E_UNAUTHORIZED',
        'send Authorization: Bearer <token> (a token of cutover.yaml tokens:)',
      );
    const hash = createHash('sha256').update(match[1]!).digest();
    let found: Identity | undefined;
    for (const t of known)
      if (timingSafeEqual(hash, t.hash) && !found) found = { name: t.name, role: t.role };
    if (!found)
      throw new CutoverError('E_UNAUTHORIZED', 'the bearer token is not one of cutover.yaml tokens:');
    return found;
  };
}
