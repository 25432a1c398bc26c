/** Who holds (or asks for) an environment's lock. */
export interface LockOwner {
  /** random per acquisition (uuid v7): tells two acquisitions by the same process apart */
  id: string;
  user: string;
  host: string;
  pid: number;
  /** what the holder runs, e.g. `cutover deploy` */
  command: string;
  /** the deploy the holder works on, once it has one */
  deploy_id: string | null;
}

/** One held lock. Times are ISO 8601. */
export interface LockInfo {
  environment: string;
  owner: LockOwner;
  reason: string;
  acquired_at: string;
  /** last renewal by the holder */
  heartbeat_at: string;
  /** after this, anyone may take the lock over */
  expires_at: string;
}

export interface AcquireOptions {
  /** milliseconds a lock lives without a heartbeat; the handle renews it every ttl/3 */
  ttlMs: number;
  /** milliseconds to wait for a held lock; 0 or absent: fail fast */
  waitMs?: number;
  /** called once, with the holder, when the acquisition starts waiting */
  onWait?: (holder: LockInfo) => void;
}

/**
 * A lease's fencing token: `token` is greater than that of every earlier acquisition of
 * `environment` in the same store, takeovers included. A write that carries it can be refused
 * once a later acquisition exists (`E_STALE_FENCING_TOKEN`), so a holder that stalled past its
 * lease (GC, network, SIGSTOP) cannot write after another took over: see `Journal.append` and the
 * runtime's fence book (runtime/daemon/fence-book.ts), which refuses its target commands.
 */
export interface Fence {
  /**
   * the lock store's identity (random, made with the store): tokens count per store, so a
   * runtime shared by executors on separate stores never compares their tokens
   */
  store: string;
  environment: string;
  token: number;
}

/** A held lock. Its heartbeat stops on `release` or when the lock turns out to be lost. */
export interface LockHandle {
  /** the lock as this handle last wrote it */
  readonly info: LockInfo;
  /** this acquisition's fencing token */
  readonly fence: Fence;
  /** the previous holder when this acquisition took over an expired or dead holder's lock */
  readonly takenOver: LockInfo | null;
  /** Records which deploy the holder works on (shown by status, used by recovery). `E_LOCK_LOST` if not ours. */
  setDeploy(deployId: string): Promise<void>;
  /**
   * Renews the lock and resolves if it is still ours; throws `E_LOCK_LOST` naming the new holder
   * otherwise (a stalled holder whose lock expired and was taken over, or a force-release).
   * Call it before each side effect.
   */
  assertHeld(): Promise<void>;
  /** Idempotent; deletes the lock only if it is still ours. */
  release(): Promise<void>;
}

/**
 * One deploy per environment at a time, across processes.
 *
 * Contract:
 * - `acquire` takes a free lock, or one whose holder is gone: expired (now > `expires_at`) or, on
 *   this host, whose pid no longer runs; `takenOver` then names that holder (callers journal it).
 *   A lock held by another live holder: `E_LOCK_HELD` naming the holder, at once or after
 *   `waitMs` of polling. A lock already held through this same store is taken again and the
 *   earlier handle becomes lost. Every acquisition gets the environment's next fencing token.
 * - Held locks are renewed by a heartbeat every ttl/3 that never keeps the process alive.
 * - `release(environment)` force-releases whatever holds it and returns what was released; it
 *   raises the environment's fencing token, so the released holder can no longer write.
 * - `close` releases the locks this store still holds, then closes the store.
 */
export interface EnvironmentLocks {
  readonly name: string;
  acquire(
    environment: string,
    owner: Omit<LockOwner, 'id'>,
    reason: string,
    options: AcquireOptions,
  ): Promise<LockHandle>;
  /** every held lock (expired ones too, until taken over), or only the environment's */
  status(environment?: string): Promise<LockInfo[]>;
  release(environment: string): Promise<LockInfo | undefined>;
  close(): Promise<void>;
}
