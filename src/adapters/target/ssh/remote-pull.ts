import { randomBytes } from 'node:crypto';
import { CutoverError } from '../../../core/errors.js';
import type { ReleaseRef } from '../../../core/model/release.js';
import { PODMAN_GLOBAL_ARGS } from '../../../lib/podman/podman-command.js';
import type { RegistryAuth } from '../../../lib/podman/pull-image.js';
import type { ContainerRequest } from '../../../runtime/client/api-types.js';
import type { SshSession } from './ssh-session.js';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Pulls the release by digest into the host's podman storage, from the environment's registry.
 * The credentials travel in a file only root can read, written over the SSH channel's stdin
 * (never on a command line, where `ps` would show them) and removed by the same command.
 */
export async function pullOnHost(
  session: SshSession,
  agentDir: string,
  request: ContainerRequest,
  release: ReleaseRef,
  auth: RegistryAuth | undefined,
): Promise<void> {
  const podman = ['podman', ...PODMAN_GLOBAL_ARGS].join(' ');
  const pull = [`${podman} pull --quiet --tls-verify=${request.tls_verify}`];
  let script: string;
  let input = '';
  if (auth) {
    const file = `${agentDir}/.pull-${randomBytes(8).toString('hex')}.json`;
    const host = request.image.split('/')[0] ?? '';
    const token = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
    input = JSON.stringify({ auths: { [host]: { auth: token } } });
    pull.push(`--authfile ${q(file)}`);
    script = `umask 077; cat > ${q(file)}; ${pull.join(' ')} ${q(request.image)}; code=$?; rm -f ${q(file)}; exit $code`;
  } else {
    script = `${pull.join(' ')} ${q(request.image)}`;
  }
  const out = await session.exec(script, input);
  if (out.code !== 0) {
    const why = out.stderr.trim().split('\n').at(-1) ?? `exit ${out.code}`;
    throw new CutoverError('E_PULL_FAILED', `${session.host}: cannot pull ${request.image}: ${why}`, {
      host: session.host,
      image: request.image,
      digest: release.digest,
    });
  }
}
