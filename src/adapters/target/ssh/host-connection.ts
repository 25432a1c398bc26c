import { isCutoverError } from '../../../core/errors.js';
import type { Fence } from '../../../ports/lock.js';
import type { RuntimeClient } from '../../../runtime/client/daemon-control.js';
import { agentClient } from './setup-agent.js';
import { openSshSession, type SshEndpoint, type SshSession } from './ssh-session.js';

/**
 * One host's SSH connection, opened on first use and kept for the whole command (one per host per
 * deploy), and its agent's admin client over it. A connection that broke (a link that went down,
 * a host restarted) is opened again on the next call, once per call.
 */
export class HostConnection {
  private session: Promise<SshSession> | null = null;
  /** connections opened so far: `bench/fleet` counts them */
  opened = 0;

  constructor(
    readonly host: string,
    private readonly endpoint: SshEndpoint,
    readonly agentDir: string,
    /** the lease whose token the agent's changes carry (runtime/daemon/fence-book.ts) */
    private readonly fence?: () => Fence | undefined,
  ) {}

  open(): Promise<SshSession> {
    return (this.session ??= openSshSession(this.endpoint).then(
      (session) => {
        this.opened++;
        return session;
      },
      (err: unknown) => {
        this.session = null;
        throw err;
      },
    ));
  }

  /** Runs `act` on the agent; a dead connection is replaced once and `act` tried again. */
  async withAgent<T>(act: (client: RuntimeClient, session: SshSession) => Promise<T>): Promise<T> {
    const session = await this.open();
    try {
      return await act(agentClient(session, this.agentDir).fenced(this.fence), session);
    } catch (err) {
      if (!isCutoverError(err) || !['E_HOST_UNREACHABLE', 'E_RUNTIME_UNAVAILABLE'].includes(err.code))
        throw err;
      this.close();
      const fresh = await this.open();
      return act(agentClient(fresh, this.agentDir).fenced(this.fence), fresh);
    }
  }

  close(): void {
    const session = this.session;
    this.session = null;
    void session?.then((s) => s.close()).catch(() => undefined);
  }
}
