import type { IncomingMessage, ServerResponse } from 'node:http';
import { evaluateAll } from './bulk-evaluation.js';
import { evaluateFlag, statusOf } from './evaluate-flag.js';
import { readEvaluationRequest } from './evaluation-request.js';
import type { FlagSource } from './flag-source.js';

/** Paths under this prefix are answered by the runtime on every router port, never proxied. */
export const OFREP_PREFIX = '/ofrep/v1/';

const BULK_PATH = '/ofrep/v1/evaluate/flags';
const FLAG_PATH = `${BULK_PATH}/`;

export type OfrepHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * OFREP (OpenFeature Remote Evaluation Protocol) for one environment: the router port implies
 * the environment, so a service's provider needs only the base URL (`OFREP_URL`).
 *
 * - `POST /ofrep/v1/evaluate/flags/{key}`: one flag, 200 / 400 / 404 as the protocol says;
 * - `POST /ofrep/v1/evaluate/flags`: every flag, with an ETag and 304 on `If-None-Match`.
 */
export function createOfrepHandler(environment: string, flags: FlagSource): OfrepHandler {
  return (req, res) => {
    const path = (req.url ?? '').split('?', 1)[0] as string;
    const isBulk = path === BULK_PATH;
    const key = !isBulk && path.startsWith(FLAG_PATH) ? decodeKey(path.slice(FLAG_PATH.length)) : null;
    if (!isBulk && key === null) {
      sendJson(res, 404, { errorDetails: `no OFREP endpoint at ${path}` });
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      sendJson(res, 405, { errorDetails: `${req.method} is not allowed on ${path}; use POST` });
      return;
    }
    void readEvaluationRequest(req).then((request) => {
      try {
        if (!request.ok) {
          const { errorCode, errorDetails } = request;
          sendJson(res, 400, key === null ? { errorCode, errorDetails } : { key, errorCode, errorDetails });
        } else if (key !== null) {
          const evaluation = evaluateFlag(key, flags.read(key, environment), request.targetingKey);
          sendJson(res, statusOf(evaluation), evaluation);
        } else {
          const etagged = req.headers['if-none-match'];
          const answer = evaluateAll(flags.readAll(environment), request.targetingKey, etagged);
          res.setHeader('etag', answer.etag);
          if (answer.status === 304) res.writeHead(304).end();
          else sendBody(res, 200, answer.body);
        }
      } catch (err) {
        // The store cannot be read (a corrupt file, a lock held too long): providers fall back to defaults.
        const failure = {
          errorCode: 'GENERAL',
          errorDetails: `cannot read the flag store: ${(err as Error).message}`,
        };
        sendJson(res, 500, key === null ? failure : { key, ...failure });
      }
    });
  };
}

/** The flag key of `/evaluate/flags/{key}`; null for an empty, nested or badly escaped one. */
function decodeKey(segment: string): string | null {
  if (segment === '' || segment.includes('/')) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendBody(res, status, Buffer.from(JSON.stringify(body)));
}

function sendBody(res: ServerResponse, status: number, body: Buffer): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}
