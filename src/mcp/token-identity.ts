import { userInfo } from 'node:os';
import { CutoverError } from '../core/errors.js';
import type { TokenConfig } from '../core/schema/tokens-config.js';
import { bearerIdentities } from '../server/bearer-auth.js';
import type { Identity } from '../service/identity.js';

export interface TokenSource {
  /** CUTOVER_TOKEN as the MCP client's configuration gave it */
  token: string | undefined;
  /** cutover.yaml `tokens:` */
  tokens: readonly TokenConfig[];
  /** --allow-anonymous: with no tokens configured, the caller is the OS user as admin */
  allowAnonymous: boolean;
}

/**
 * Who the MCP client is, for the whole session: the `tokens:` entry whose token_sha256 is
 * CUTOVER_TOKEN's SHA-256, compared as `cutover serve` compares a bearer token. Without a match
 * the server does not start (E_UNAUTHORIZED, exit 2). With no tokens configured, as
 * `cutover serve --allow-anonymous` on loopback, only when asked: over stdio the client is a child
 * of someone already on this machine, the CLI's own trust. The token is never repeated.
 */
export function identityOf(source: TokenSource): Identity {
  if (source.tokens.length === 0) {
    if (!source.allowAnonymous)
      throw new CutoverError(
        'E_USAGE',
        'cutover.yaml has no tokens: add one (README, "cutover mcp"), or pass --allow-anonymous to act as yourself, as admin',
      );
    return { name: process.env.CUTOVER_ACTOR ?? userInfo().username, role: 'admin' };
  }
  if (source.allowAnonymous)
    throw new CutoverError(
      'E_USAGE',
      '--allow-anonymous: cutover.yaml has tokens:, set CUTOVER_TOKEN to one',
    );
  if (source.token === undefined || source.token === '')
    throw new CutoverError(
      'E_UNAUTHORIZED',
      'CUTOVER_TOKEN is not set: give the MCP server a token of cutover.yaml tokens:',
    );
  try {
    return bearerIdentities(source.tokens)(`Bearer ${source.token}`);
  } catch {
    throw new CutoverError(
      'E_UNAUTHORIZED',
      'CUTOVER_TOKEN is not one of cutover.yaml tokens: (no token_sha256 matches its SHA-256)',
    );
  }
}
