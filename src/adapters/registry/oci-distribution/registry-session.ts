import type { Readable } from 'node:stream';
import type { Agent } from 'undici';
import { lazyRequire } from '../../../lib/lazy-require.js';
import { isCutoverError, type CutoverError, type ErrorCode } from '../../../core/errors.js';
import { parseChallenge } from './auth-challenge.js';
import { Authenticator } from './authenticator.js';
import { redactError, type Credentials } from './credentials.js';
import {
  createAuthError,
  createHttpError,
  createNetworkError,
  type ErrorContext,
} from './registry-errors.js';
import {
  isRetryableStatus,
  parseRetryAfter,
  RetryableStatusError,
  runWithRetry,
  type RetryPolicy,
} from './retry-policy.js';
import { firstHeader, type RegistryRequest, type RegistryResponse } from './registry-request.js';

const undici = lazyRequire<typeof import('undici')>('undici');

export interface SessionOptions {
  baseUrl: string;
  insecure: boolean;
  credentials: () => Credentials;
  retry: RetryPolicy;
  now: () => number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * One registry, one connection pool, one authenticator. Every request of the adapter goes through
 * `send`, which adds auth, retries what is worth retrying and turns every failure into a
 * CutoverError that names the registry and never a secret.
 */
export class RegistrySession {
  readonly baseUrl: string;
  private readonly dispatcher: Agent;
  private auth: Authenticator | undefined;
  private credentials: Credentials | undefined;

  constructor(private readonly options: SessionOptions) {
    this.baseUrl = new URL(options.baseUrl).origin;
    this.dispatcher = new (undici().Agent)({ connect: { rejectUnauthorized: !options.insecure } });
  }

  /** `GET /v2/`: learns how the registry authenticates before any body is streamed. */
  async ping(scopes: string[], action: string, code?: ErrorCode): Promise<void> {
    const res = await this.send({ method: 'GET', url: '/v2/', scopes, expect: [200], action, code });
    await res.body.dump();
  }

  async send(req: RegistryRequest): Promise<RegistryResponse> {
    const context: ErrorContext = {
      action: req.action,
      registry: this.baseUrl,
      repository: req.repository,
      code: req.code,
    };
    try {
      const auth = this.authenticator();
      if (req.body && !auth.known) await this.ping(req.scopes, req.action, req.code);
      const policy = req.retry === false ? { ...this.options.retry, attempts: 1 } : this.options.retry;
      return await runWithRetry(policy, () => this.attempt(req, auth, context));
    } catch (err) {
      throw redactError(this.toCutoverError(err, context), this.credentials);
    }
  }

  resolveUrl(location: string): string {
    return new URL(location, this.baseUrl).toString();
  }

  async dispose(): Promise<void> {
    await this.dispatcher.close();
  }

  private async attempt(
    req: RegistryRequest,
    auth: Authenticator,
    context: ErrorContext,
  ): Promise<RegistryResponse> {
    let url = this.resolveUrl(req.url);
    let challenged = false;
    for (let hops = 0; ;) {
      // Credentials go only to the registry itself, never to storage it redirects to.
      const sameOrigin = new URL(url).origin === this.baseUrl;
      const authorization = sameOrigin ? await auth.headerFor(req.scopes, context) : undefined;
      const headers = authorization ? { ...req.headers, authorization } : { ...req.headers };
      const body = req.body?.();
      const res = await undici()
        .request(url, {
          method: req.method,
          headers,
          // undici writes async iterables chunk by chunk (its typings omit them).
          body: body as Readable | Buffer | string | undefined,
          dispatcher: this.dispatcher,
        })
        .finally(() => {
          // An early answer (401, 400) leaves the file stream half read; close it now, not at GC.
          if (body && typeof body === 'object' && 'destroy' in body) body.destroy();
        });
      if (res.statusCode === 401 && sameOrigin) {
        await res.body.dump();
        const challenge = parseChallenge(firstHeader(res.headers['www-authenticate']));
        if (!challenged && auth.accept(challenge, req.scopes, authorization)) {
          challenged = true;
          continue;
        }
        throw createAuthError(auth.username, context);
      }
      auth.markOpen();
      if (req.expect.includes(res.statusCode))
        return { status: res.statusCode, headers: res.headers, body: res.body };
      const location = firstHeader(res.headers.location);
      if (
        REDIRECTS.has(res.statusCode) &&
        location &&
        (req.method === 'GET' || req.method === 'HEAD') &&
        hops++ < 5
      ) {
        await res.body.dump();
        url = new URL(location, url).toString();
        continue;
      }
      const text = await res.body.text().catch(() => '');
      if (isRetryableStatus(res.statusCode))
        throw new RetryableStatusError(res.statusCode, text, parseRetryAfter(res.headers['retry-after']));
      throw createHttpError(res.statusCode, text, context);
    }
  }

  private authenticator(): Authenticator {
    this.credentials ??= this.options.credentials();
    this.auth ??= new Authenticator(this.credentials, this.dispatcher, this.options.now);
    return this.auth;
  }

  private toCutoverError(err: unknown, context: ErrorContext): CutoverError {
    if (isCutoverError(err)) return err;
    if (err instanceof RetryableStatusError) return createHttpError(err.status, err.body, context, err);
    return createNetworkError(err, context);
  }
}
