import type { RouterLimits } from '../client/api-types.js';

// node:http's default keepAliveTimeout: an idle client connection is closed after this.
export const KEEP_ALIVE_MS = 5000;

/** Which of a client connection's time limits ran out. */
export const enum Expired {
  None,
  /** idle between requests: closed without a word, as node:http does */
  KeepAlive,
  /** a head begun but not complete within header_timeout: 408 */
  Header,
  /** a request body with no byte for body_idle_timeout: 408, or a cut */
  BodyIdle,
  /** an answer the client has not taken a byte of for body_idle_timeout: a cut */
  AnswerStalled,
}

/**
 * The times a fast-path connection is judged by, like HAProxy's `timeout http-keep-alive`,
 * `timeout http-request` and `timeout client`. All performance.now(); checked by the router's
 * one-second sweep rather than per-socket timers (see idle-sweep.ts).
 */
export class ClientClock {
  /** the last bytes from the client, or the end of the last answer */
  private lastActive = performance.now();
  /** the last bytes from the client */
  private lastRead = this.lastActive;
  /** since when a head has been awaited with some of it there; 0: none */
  private headSince = 0;
  /** since when the client has not taken the answer written to it; 0: it is keeping up */
  private blockedSince = 0;

  read(now: number): void {
    this.lastActive = this.lastRead = now;
  }

  /** Idle time runs from the end of an answer, not from its request: a slow answer is no idle time. */
  answered(now: number): void {
    this.lastActive = now;
  }

  awaitingHead(now: number): void {
    if (this.headSince === 0) this.headSince = now;
  }

  headDone(): void {
    this.headSince = 0;
  }

  answerBlocked(now: number): void {
    if (this.blockedSince === 0) this.blockedSince = now;
  }

  /** The client took what was written: it reads again (or the exchange is over). */
  answerTaken(): void {
    this.blockedSince = 0;
  }

  /**
   * @param inExchange a request is being relayed
   * @param bodyArriving its body is still coming, and not held back by the router (a paused
   *   client is the version not keeping up, which is no idleness of the client's)
   */
  expired(now: number, limits: RouterLimits, inExchange: boolean, bodyArriving: boolean): Expired {
    if (this.blockedSince !== 0 && now - this.blockedSince > limits.body_idle_timeout_ms) {
      return Expired.AnswerStalled;
    }
    if (inExchange) {
      if (!bodyArriving) this.lastRead = now;
      return now - this.lastRead > limits.body_idle_timeout_ms ? Expired.BodyIdle : Expired.None;
    }
    if (this.headSince !== 0) {
      return now - this.headSince > limits.header_timeout_ms ? Expired.Header : Expired.None;
    }
    return now - this.lastActive > KEEP_ALIVE_MS ? Expired.KeepAlive : Expired.None;
  }
}
