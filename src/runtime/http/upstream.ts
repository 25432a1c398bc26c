import { connect, type Socket } from 'node:net';
import { startSweeping, stopSweeping, type Sweepable } from './idle-sweep.js';

/** What an upstream connection reports to the exchange that currently uses it. */
export interface UpstreamUser {
  /** True when it kept a reference to `chunk` (a write still pending): its memory is then not reused. */
  onUpstreamData(chunk: Buffer): boolean;
  onUpstreamDrain(): void;
  /** the version ended the connection (FIN); a close-delimited response is complete */
  onUpstreamEnd(): void;
  /** the connection is gone; `err` when it failed (refused, reset, timed out) */
  onUpstreamClose(err: Error | null): void;
}

// Node servers close idle keep-alive connections after 5 s; reusing one just then fails the
// request, so connections idle longer than this are dropped instead (undici does the same).
const IDLE_REUSE_MS = 4000;
// Like undici's headers/body timeouts: a version silent this long mid-request is given up on.
const SILENCE_TIMEOUT_MS = 300_000;
const READ_BUFFER_BYTES = 16 * 1024;

/**
 * One keep-alive connection to a version; its listeners are bound once, not per request. It
 * reads into a buffer of its own (net's `onread`) rather than a new Buffer per read pushed
 * through a Readable: the answer is relayed before the next read, so the memory can be reused,
 * except when a write of it is still pending.
 */
export class UpstreamConnection {
  readonly socket: Socket;
  user: UpstreamUser | null = null;
  /** it served an earlier request (a failure may then be the version closing it meanwhile) */
  reused = false;
  idleSince = 0;
  /** performance.now() when it was last given a request or last sent bytes */
  lastActive = 0;
  private error: Error | null = null;
  private buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  private pinned = false;

  constructor(host: string, port: number, pool: UpstreamPool) {
    const onread = { buffer: () => this.readBuffer(), callback: (n: number) => this.onRead(n) };
    const socket = (this.socket = connect({ host, port, onread }));
    socket.setNoDelay(true);
    socket.on('drain', () => this.user?.onUpstreamDrain());
    socket.on('end', () => this.user?.onUpstreamEnd());
    socket.on('error', (err) => (this.error = err));
    socket.on('close', () => {
      pool.forget(this);
      const user = this.user;
      this.user = null;
      user?.onUpstreamClose(this.error);
    });
  }

  private readBuffer(): Buffer {
    if (this.pinned) {
      this.pinned = false;
      this.buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    }
    return this.buffer;
  }

  /** Always true (go on reading): a slow client pauses the socket itself. */
  private onRead(bytes: number): boolean {
    this.lastActive = performance.now();
    // Bytes nobody asked for: the connection is out of step, never reuse it.
    if (this.user === null) this.socket.destroy();
    else this.pinned = this.user.onUpstreamData(this.buffer.subarray(0, bytes));
    return true;
  }
}

/** Connections to one version; the idle keep-alive ones most recently used first. */
export class UpstreamPool implements Sweepable {
  private readonly idle: UpstreamConnection[] = [];
  private readonly open = new Set<UpstreamConnection>();
  private closed = false;

  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    startSweeping(this);
  }

  /** An idle connection when `fresh` is false and one is recent enough, else a new one. */
  acquire(user: UpstreamUser, fresh: boolean, now: number): UpstreamConnection {
    let conn: UpstreamConnection | undefined;
    while (!fresh && (conn = this.idle.pop()) !== undefined) {
      if (now - conn.idleSince < IDLE_REUSE_MS) break;
      conn.socket.destroy();
      conn = undefined;
    }
    if (conn === undefined) {
      conn = new UpstreamConnection(this.host, this.port, this);
      this.open.add(conn);
    }
    conn.user = user;
    conn.lastActive = now;
    return conn;
  }

  /** Takes a connection back after a complete exchange; a closed pool closes it instead. */
  release(conn: UpstreamConnection, now: number): void {
    conn.user = null;
    if (this.closed || conn.socket.destroyed) {
      conn.socket.destroy();
      return;
    }
    conn.reused = true;
    conn.idleSince = now;
    // Paused while a slow client caught up; an idle connection must still notice a close.
    if (conn.socket.isPaused()) conn.socket.resume();
    this.idle.push(conn);
  }

  forget(conn: UpstreamConnection): void {
    this.open.delete(conn);
    const i = this.idle.indexOf(conn);
    if (i !== -1) this.idle.splice(i, 1);
  }

  /** Closes the idle connections; busy ones close when their exchange is over. */
  destroy(): void {
    this.closed = true;
    stopSweeping(this);
    for (const conn of this.idle.splice(0)) conn.socket.destroy();
  }

  /** Gives up on a version silent mid-request; closes idle connections too old to be reused. */
  sweep(now: number): void {
    for (const conn of this.open) {
      if (conn.user !== null) {
        if (now - conn.lastActive > SILENCE_TIMEOUT_MS)
          conn.socket.destroy(new Error('the version went silent'));
      } else if (now - conn.idleSince > IDLE_REUSE_MS) conn.socket.destroy();
    }
  }
}
