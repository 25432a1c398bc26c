import { fork, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:net';
import { packageFile } from '../../lib/package-root.js';
import type { Logger } from '../../lib/logger.js';
import { setLongTimeout, type LongTimeout } from '../../lib/long-timeout.js';
import type { WorkerCommand, WorkerReply } from './router-wire.js';

const WORKER_MAIN = packageFile('dist/src/runtime/workers/router-worker-main.js');
// A process not ready by then (it normally takes well under a second) is killed and started again.
const READY_TIMEOUT_MS = 15_000;
// Queries that change nothing: a process slow to answer them is waited for no longer, not killed.
const READ_ONLY = new Set(['counters', 'samples']);

interface Pending {
  resolve: (value: unknown) => void;
  fallback: unknown;
  /** set once the command is sent: a queued command waits for the process to be ready */
  timer: LongTimeout | null;
}

/**
 * The daemon's end of one router process: starts it, queues commands until it says it is ready,
 * matches replies to requests. A request never rejects: when the process dies, fails a command
 * or stays silent past the timeout, it resolves with the caller's fallback — and a process that
 * failed or went silent is killed, since it may be routing with a table the daemon no longer
 * has (a dead router serves nobody, so "drained", "no samples" are then the truth about it).
 * `onExit` fires once, when the process is gone; its owner starts a new one.
 */
/** What a router process is started with: the state dir (its flag store) and the daemon's directory. */
export interface WorkerPlace {
  stateDir: string;
  runtimeDir: string;
}

export class WorkerLink {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private queue: Array<() => void> | null = [];
  private nextId = 1;
  private gone = false;

  constructor(
    readonly index: number,
    place: WorkerPlace,
    private readonly logger: Logger,
    onExit: (link: WorkerLink, code: number | null, signal: string | null) => void,
  ) {
    const args = ['--state-dir', place.stateDir, '--runtime-dir', place.runtimeDir, '--index', String(index)];
    this.child = fork(WORKER_MAIN, args, {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: WorkerReply) => this.receive(message));
    const notReady = setTimeout(() => this.kill(`not ready after ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    notReady.unref();
    this.child.once('message', () => clearTimeout(notReady));
    const gone = (code: number | null, signal: string | null): void => {
      if (this.gone) return;
      this.gone = true;
      this.queue = null;
      for (const [id, p] of this.pending) this.settle(id, p.fallback);
      onExit(this, code, signal);
    };
    this.child.on('error', (err) => {
      this.logger.error('Router process error', { index, error: err });
      // A fork that failed never emits 'exit'.
      if (this.child.pid === undefined) gone(null, null);
    });
    this.child.once('exit', gone);
  }

  /** undefined once the process is gone (its replacement may not be started yet) */
  get pid(): number | undefined {
    return this.gone ? undefined : this.child.pid;
  }

  /** Sends a command and resolves with its reply, or `fallback` (see the class comment). */
  request<T>(command: WorkerCommand, fallback: T, timeoutMs: number, handle?: Server): Promise<T> {
    if (this.gone) return Promise.resolve(fallback);
    const id = this.nextId++;
    return new Promise<T>((resolve) => {
      const pending: Pending = { resolve: resolve as (value: unknown) => void, fallback, timer: null };
      this.pending.set(id, pending);
      const send = (): void => {
        // Gone, or a listener closed while the command waited: nothing left to send.
        if (this.gone || (handle !== undefined && !handle.listening)) return void this.settle(id, fallback);
        // a drain waits as long as the environment's drain_timeout, which may be 30 days
        pending.timer = setLongTimeout(() => {
          if (READ_ONLY.has(command.type))
            this.logger.warn('Router process slow to answer', { index: this.index, command: command.type });
          else this.kill('it did not answer', command.type);
          this.settle(id, fallback);
        }, timeoutMs);
        pending.timer.unref();
        this.child.send({ ...command, id }, handle, (err) => err && this.settle(id, fallback));
      };
      if (this.queue !== null) this.queue.push(send);
      else send();
    });
  }

  /** Ends the process: it closes its listeners at once (the daemon has drained them already). */
  stop(): void {
    if (!this.gone) this.child.kill('SIGTERM');
  }

  private receive(message: WorkerReply): void {
    if (message.type === 'ready') {
      const queued = this.queue ?? [];
      this.queue = null;
      for (const send of queued) send();
      return;
    }
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    if (message.ok) return this.settle(message.id, message.value);
    this.kill(`it failed: ${message.error}`);
    this.settle(message.id, pending.fallback);
  }

  private kill(reason: string, command?: string): void {
    if (this.gone) return;
    this.logger.error('Killing router process', { index: this.index, pid: this.pid, reason, command });
    this.child.kill('SIGKILL');
  }

  private settle(id: number, value: unknown): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.pending.delete(id);
    pending.timer?.clear();
    pending.resolve(value);
  }
}
