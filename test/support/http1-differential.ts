import { readLikeFastPath, type FastPathOutcome } from './http1-fast-path-model.js';
import { ReferenceParser } from './llhttp-reference.js';

export interface Verdict {
  /** messages the fast path relayed, each checked against llhttp */
  relayed: number;
  outcome: FastPathOutcome;
  /** llhttp accepted the whole stream where the fast path refused a body (stricter, allowed) */
  stricter: boolean;
}

/**
 * Holds the fast path's reading of `stream` to llhttp's: every message the fast path would relay,
 * llhttp must accept and end at the same byte (not one before); method and target must agree,
 * and so must a content-length body; the head the fast path sends on (rewritten) with that body
 * must be exactly one well-formed message to llhttp too. Throws on the first disagreement.
 */
export function checkAgainstLlhttp(stream: Buffer, cuts: readonly number[] = []): Verdict {
  const ours = readLikeFastPath(stream, cuts);
  const reference = new ReferenceParser();
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(
      `${what}\nstream: ${JSON.stringify(stream.toString('latin1'))}\nllhttp: ${reference.error}`,
    );
  };
  ours.messages.forEach(({ request, end }, k) => {
    if (!reference.feed(stream.subarray(at, end - 1)) || reference.completed !== k) {
      fail(`message ${k + 1}: llhttp refused it or ended it before byte ${end}`);
    }
    if (!reference.feed(stream.subarray(end - 1, end)) || reference.completed !== k + 1) {
      fail(`message ${k + 1}: llhttp did not end it at byte ${end}`);
    }
    const theirs = reference.messages[k]!;
    if (theirs.method !== request.method || theirs.url !== request.target) {
      fail(
        `message ${k + 1}: ${request.method} ${request.target} here, ${theirs.method} ${theirs.url} for llhttp`,
      );
    }
    if (request.body >= 0 && theirs.bodyBytes !== request.body) {
      fail(
        `message ${k + 1}: content-length ${request.body} here, ${theirs.bodyBytes} body bytes for llhttp`,
      );
    }
    const sent = new ReferenceParser();
    const forwarded = Buffer.concat([
      Buffer.from(request.head, 'latin1'),
      stream.subarray(at + request.headBytes, end),
    ]);
    if (!sent.feed(forwarded) || sent.completed !== 1 || sent.messages.length !== 1) {
      fail(`message ${k + 1}: what the fast path forwards is not one message to llhttp (${sent.error})`);
    }
    if (sent.messages[0]!.bodyBytes !== theirs.bodyBytes)
      fail(`message ${k + 1}: the forwarded body differs`);
    at = end;
  });
  let stricter = false;
  if (ours.outcome === 'bad-body') {
    const whole = new ReferenceParser();
    stricter = whole.feed(stream) && whole.completed > ours.messages.length;
  }
  return { relayed: ours.messages.length, outcome: ours.outcome, stricter };
}
