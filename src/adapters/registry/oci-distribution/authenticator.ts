import type { Dispatcher } from 'undici';
import { CutoverError } from '../../../core/errors.js';
import { splitScopes, type AuthChallenge } from './auth-challenge.js';
import { encodeBasic, type Credentials } from './credentials.js';
import { fetchBearerToken, type BearerToken } from './token-service.js';
import type { ErrorContext } from './registry-errors.js';

/**
 * Decides the `Authorization` header of every request. The scheme is learnt from the registry's
 * 401 challenge (a ping of `/v2/` before any body is sent), bearer tokens are cached per scope
 * set until shortly before they expire.
 */
export class Authenticator {
  private mode: 'unknown' | 'none' | 'basic' | 'bearer' = 'unknown';
  private bearer: { realm: string; service?: string } | undefined;
  private readonly tokens = new Map<string, BearerToken>();
  /** Scopes a challenge named for a scope set, asked for too when its token is fetched again. */
  private readonly challengedScopes = new Map<string, string[]>();

  constructor(
    private readonly credentials: Credentials,
    private readonly dispatcher: Dispatcher,
    private readonly now: () => number,
  ) {}

  /** True once the registry said how it wants to be authenticated (or that it does not). */
  get known(): boolean {
    return this.mode !== 'unknown';
  }

  get username(): string | undefined {
    return this.credentials.username;
  }

  /** Called after a 2xx/4xx answer to an unauthenticated request: no auth needed. */
  markOpen(): void {
    if (this.mode === 'unknown') this.mode = 'none';
  }

  async headerFor(scopes: string[], context: ErrorContext): Promise<string | undefined> {
    const { username, password, token } = this.credentials;
    switch (this.mode) {
      case 'unknown':
      case 'none':
        return undefined;
      case 'basic':
        // Registries that issue personal access tokens accept them as the basic password.
        return username && (password ?? token)
          ? encodeBasic(username, (password ?? token) as string)
          : undefined;
      case 'bearer':
        return token ? `Bearer ${token}` : `Bearer ${await this.tokenFor(scopes, context)}`;
    }
  }

  /**
   * Learns from a 401. Returns false when trying again cannot help: no usable challenge, or the
   * credentials just sent were already the right kind (so they are wrong).
   */
  accept(challenge: AuthChallenge | undefined, scopes: string[], sentHeader: string | undefined): boolean {
    if (!challenge || challenge.scheme === 'other') return false;
    if (challenge.scheme === 'basic') {
      const { username, password, token } = this.credentials;
      const usable = Boolean(username && (password ?? token));
      const alreadySent = this.mode === 'basic' && sentHeader !== undefined;
      this.mode = 'basic';
      return usable && !alreadySent;
    }
    const realm = challenge.params.realm;
    if (!realm) return false;
    const alreadySent = this.mode === 'bearer' && sentHeader !== undefined;
    this.mode = 'bearer';
    this.bearer = { realm, service: challenge.params.service };
    this.challengedScopes.set(cacheKey(scopes), splitScopes(challenge.params.scope));
    this.tokens.delete(cacheKey(scopes));
    // A fetched token may just have expired or lacked a scope the challenge names, so fetching
    // a new one is worth a try (the session retries once); a static token would be sent unchanged.
    return !this.credentials.token || !alreadySent;
  }

  private async tokenFor(scopes: string[], context: ErrorContext): Promise<string> {
    const key = cacheKey(scopes);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.token;
    if (!this.bearer) throw new CutoverError('E_INTERNAL', 'bearer token wanted before any challenge');
    const wanted = [...new Set([...scopes, ...(this.challengedScopes.get(key) ?? [])])];
    const fresh = await fetchBearerToken(
      {
        realm: this.bearer.realm,
        service: this.bearer.service,
        scopes: wanted,
        credentials: this.credentials,
      },
      this.dispatcher,
      this.now,
      context,
    );
    this.tokens.set(key, fresh);
    return fresh.token;
  }
}

function cacheKey(scopes: string[]): string {
  return [...scopes].sort().join(' ');
}
