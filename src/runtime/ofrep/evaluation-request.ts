import type { IncomingMessage } from 'node:http';
import type { EvaluationErrorCode } from './evaluate-flag.js';

// An evaluation context is a user's id and a few attributes; anything this big is a mistake.
const MAX_BODY_BYTES = 64 * 1024;

/** What evaluating needs from the request body, or why the body is refused. */
export type EvaluationRequest =
  | { ok: true; targetingKey: string | null }
  | {
      ok: false;
      errorCode: Extract<EvaluationErrorCode, 'PARSE_ERROR' | 'INVALID_CONTEXT'>;
      errorDetails: string;
    };

/**
 * Reads `{"context": {"targetingKey": "…", …}}`. The context is optional (OFREP's request schema
 * does not require it): without one, only a partial rollout fails, with TARGETING_KEY_MISSING.
 * An empty targetingKey counts as none, as an empty stickiness header does for the router.
 */
export async function readEvaluationRequest(req: IncomingMessage): Promise<EvaluationRequest> {
  const text = await readBody(req);
  if (text === null) return refuse('PARSE_ERROR', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  if (text.trim() === '') return { ok: true, targetingKey: null };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return refuse('PARSE_ERROR', `the request body is not JSON: ${(err as Error).message}`);
  }
  if (!isObject(body)) return refuse('PARSE_ERROR', 'the request body must be a JSON object');
  const context = body.context;
  if (context === undefined) return { ok: true, targetingKey: null };
  if (!isObject(context)) return refuse('INVALID_CONTEXT', 'context must be a JSON object');
  const key = context.targetingKey;
  if (key !== undefined && typeof key !== 'string') {
    return refuse('INVALID_CONTEXT', 'context.targetingKey must be a string');
  }
  return { ok: true, targetingKey: key === undefined || key === '' ? null : key };
}

function refuse(errorCode: 'PARSE_ERROR' | 'INVALID_CONTEXT', errorDetails: string): EvaluationRequest {
  return { ok: false, errorCode, errorDetails };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as text, or null when it is too large (the rest is read and dropped). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.once('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    // A client that went away: its answer goes nowhere, but the promise must still settle.
    req.once('error', () => resolve(null));
    req.once('close', () => resolve(null));
  });
}
