import { BodyFraming, MALFORMED } from '../../src/runtime/http/http1/body-framing.js';
import { HAND_OVER, INCOMPLETE, readHead, TOO_LARGE } from '../../src/runtime/http/http1/read-head.js';
import type { ForwardedRequest } from '../../src/runtime/http/http1/request-head.js';

export interface FastPathMessage {
  request: ForwardedRequest;
  /** offset in the stream just past this message's body */
  end: number;
}

/** `closed`: a request asked to close, so what follows it is never read. */
export type FastPathOutcome = 'incomplete' | 'too-large' | 'hand-over' | 'bad-body' | 'closed';

/**
 * Reads a client's byte stream with the fast path's own functions (readHead, BodyFraming), as
 * FastConnection does, feeding the bodies in the pieces `cuts` says (so incremental scanning is
 * exercised too). Stops at the first request it does not relay itself.
 */
export function readLikeFastPath(
  stream: Buffer,
  cuts: readonly number[] = [],
): { messages: FastPathMessage[]; outcome: FastPathOutcome; at: number } {
  const messages: FastPathMessage[] = [];
  const framing = new BodyFraming();
  let at = 0;
  for (;;) {
    const reading = readHead(stream.subarray(at), 'x-user-id', '127.0.0.1');
    if (reading === INCOMPLETE) return { messages, outcome: 'incomplete', at };
    if (reading === TOO_LARGE) return { messages, outcome: 'too-large', at };
    if (reading === HAND_OVER) return { messages, outcome: 'hand-over', at };
    framing.reset(reading.body);
    const bodyStart = at + reading.headBytes;
    let end = reading.body === 0 ? bodyStart : -1;
    for (let from = bodyStart; end === -1 && from < stream.length;) {
      const cut = cuts.find((c) => c > from && c < stream.length) ?? stream.length;
      const found = framing.scan(stream.subarray(0, cut), from);
      if (found === MALFORMED) return { messages, outcome: 'bad-body', at };
      end = found;
      from = cut;
    }
    if (end === -1) return { messages, outcome: 'incomplete', at };
    messages.push({ request: reading, end });
    at = end;
    if (reading.close) return { messages, outcome: 'closed', at };
  }
}
