import { CutoverError } from '../../../core/errors.js';
import { RuntimeClient } from '../../../runtime/client/admin-client.js';
import type { AgentBundle } from './agent-bundle.js';
import type { SshSession } from './ssh-session.js';

/** What `hosts setup` did on one host. */
export interface SetupOutcome {
  host: string;
  state: 'ready' | 'installed' | 'upgraded' | 'refused';
  /** the agent bundle running there now */
  agent?: string;
  reason?: string;
}

export interface SetupOptions {
  /** where the agent lives on the host: releases/, current → releases/<id>, state/ */
  agentDir: string;
  bundle: AgentBundle;
  /** the runner is podman: the host must have it */
  needsPodman: boolean;
  /** the address its routers listen on (CUTOVER_ROUTER_HOST) */
  routerHost: string;
}

const MIN_NODE_MAJOR = 20;

/**
 * Makes one host ready, idempotently: Node ≥ 20 (and podman for that runner) present, the agent
 * at the CLI's bundle and answering on its socket. The same bundle already answering is `ready`
 * with nothing changed; another one is replaced (`upgraded`); none is `installed`.
 */
export async function setupAgent(session: SshSession, o: SetupOptions): Promise<SetupOutcome> {
  const host = session.host;
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const node = await session.exec('node --version');
  const major = Number(/^v(\d+)\./.exec(node.stdout.trim())?.[1] ?? 0);
  if (node.code !== 0 || major < MIN_NODE_MAJOR)
    return {
      host,
      state: 'refused',
      reason: `needs Node ≥ ${MIN_NODE_MAJOR} on PATH (found ${node.stdout.trim() || 'none'})`,
    };
  if (o.needsPodman && (await session.exec('command -v podman')).code !== 0)
    return { host, state: 'refused', reason: 'podman not found; apt-get install podman runc' };
  const client = agentClient(session, o.agentDir);
  const current = (await session.exec(`readlink ${q(`${o.agentDir}/current`)}`)).stdout.trim();
  const answering = await client.status(5000).then(
    () => true,
    () => false,
  );
  if (current === `releases/${o.bundle.id}` && answering) return { host, state: 'ready', agent: o.bundle.id };

  const release = `${o.agentDir}/releases/${o.bundle.id}`;
  await mustRun(session, `mkdir -p ${q(release)} ${q(`${o.agentDir}/state`)}`);
  await session.upload(o.bundle.file, `${release}.tar.gz`);
  await mustRun(
    session,
    `tar -xzf ${q(`${release}.tar.gz`)} -C ${q(release)} && rm ${q(`${release}.tar.gz`)}`,
  );
  await mustRun(session, `ln -sfn ${q(`releases/${o.bundle.id}`)} ${q(`${o.agentDir}/current`)}`);
  if (answering) await client.shutdown().catch(() => undefined);
  await waitFor(() =>
    client.status(1000).then(
      () => false,
      () => true,
    ),
  );
  const main = `${o.agentDir}/current/dist/src/runtime/daemon/daemon-main.js`;
  await mustRun(
    session,
    `CUTOVER_ROUTER_HOST=${q(o.routerHost)} setsid nohup node ${q(main)} --state-dir ${q(`${o.agentDir}/state`)} ` +
      `</dev/null >>${q(`${o.agentDir}/agent.out`)} 2>&1 &`,
  );
  await waitFor(() =>
    client.status(1000).then(
      () => true,
      () => false,
    ),
  );
  return { host, state: current ? 'upgraded' : 'installed', agent: o.bundle.id };
}

/** The admin client of a host's agent, over the session. */
export function agentClient(session: SshSession, agentDir: string): RuntimeClient {
  const socket = `${agentDir}/state/runtime/admin.sock`;
  return new RuntimeClient(socket, (done) => session.forwardToSocket(socket, done));
}

async function mustRun(session: SshSession, command: string): Promise<void> {
  const run = await session.exec(command);
  if (run.code !== 0)
    throw new Error(`${session.host}: ${command.split(' ')[0]} failed: ${run.stderr.trim()}`);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new CutoverError('E_HOST_SETUP_FAILED', `the agent did not answer within ${timeoutMs} ms`, {});
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
