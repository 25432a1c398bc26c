import { connect, type Socket } from 'node:net';

/** What an upstream connection reports to the exchange that currently uses it. */
export interface UpstreamUser {
  onUpstreamData(chunk: Buffer): void;
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

/** One keep-alive connection to a version; its listeners are bound once, not per request. */
export class UpstreamConnection {
  user: UpstreamUser | null = null;
  /** it served an earlier request (a failure may then be the version closing it meanwhile) */
  reused = false;
  idleSince = 0;
  private error: Error | null = null;

  constructor(
    readonly socket: Socket,
    private readonly pool: UpstreamPool,
  ) {
    socket.setNoDelay(true);
    socket.setTimeout(SILENCE_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      if (this.user !== null) this.user.onUpstreamData(chunk);
      // Bytes nobody asked for: the connection is out of step, never reuse it.
      else socket.destroy();
    });
    socket.on('drain', () => this.user?.onUpstreamDrain());
    socket.on('end', () => this.user?.onUpstreamEnd());
    socket.on('timeout', () => socket.destroy(new Error('the version went silent')));
    socket.on('error', (err) => (this.error = err));
    socket.on('close', () => {
      pool.forget(this);
      const user = this.user;
      this.user = null;
      user?.onUpstreamClose(this.error);
    });
  }
}

/** Idle keep-alive connections to one version, most recently used first. */
export class UpstreamPool {
  private readonly idle: UpstreamConnection[] = [];
  private closed = false;

  constructor(
    readonly host: string,
    readonly port: number,
  ) {}

  /** An idle connection when `fresh` is false and one is recent enough, else a new one. */
  acquire(user: UpstreamUser, fresh: boolean, now: number): UpstreamConnection {
    let conn: UpstreamConnection | undefined;
    while (!fresh && (conn = this.idle.pop()) !== undefined) {
      if (now - conn.idleSince < IDLE_REUSE_MS) break;
      conn.socket.destroy();
      conn = undefined;
    }
    conn ??= new UpstreamConnection(connect(this.port, this.host), this);
    conn.user = user;
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
    const i = this.idle.indexOf(conn);
    if (i !== -1) this.idle.splice(i, 1);
  }

  /** Closes the idle connections; busy ones close when their exchange is over. */
  destroy(): void {
    this.closed = true;
    for (const conn of this.idle.splice(0)) conn.socket.destroy();
  }
}
