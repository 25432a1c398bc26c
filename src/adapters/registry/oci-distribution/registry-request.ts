import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { ErrorCode } from '../../../core/errors.js';

/** One call to the registry API, described as data so the session can replay it on retry. */
export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A `/v2/…` path, or an absolute URL the registry handed out (an upload `Location`). */
  url: string;
  /** Token scopes the request needs, e.g. `repository:api-orders:pull,push`. */
  scopes: string[];
  headers?: Record<string, string>;
  /** Called once per attempt, so a retry re-reads the bytes from disk instead of holding them. */
  body?: () => Readable | Buffer | string | AsyncIterable<Buffer>;
  /** Statuses handed back to the caller; any other becomes a CutoverError. */
  expect: number[];
  /** For messages: `uploading blob sha256:0123456789ab`. */
  action: string;
  repository?: string;
  code?: ErrorCode;
  /** false: a single attempt, for callers that run their own recovery (resumable uploads). */
  retry?: boolean;
}

export interface RegistryResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Must be consumed (`text()`, `dump()`, piped) by the caller. */
  body: Dispatcher.ResponseData['body'];
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
