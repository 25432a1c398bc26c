import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { CutoverError } from '../../../core/errors.js';
import type { SshTargetConfig } from '../../../core/schema/config.js';
import { parseKnownHosts } from './known-hosts.js';
import type { SshEndpoint } from './ssh-session.js';

/** A path of cutover.yaml: `~/` is the home directory, a relative one is cutover.yaml's directory's. */
export function configPath(path: string, configDir: string): string {
  return path.startsWith('~/') ? resolve(homedir(), path.slice(2)) : resolve(configDir, path);
}

/** `host`, `host:port` or `[v6]:port` → its address and port (22 by default). */
export function splitHost(host: string): { address: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  if (v6) return { address: v6[1]!, port: Number(v6[2] ?? 22) };
  const at = host.lastIndexOf(':');
  return at < 0
    ? { address: host, port: 22 }
    : { address: host.slice(0, at), port: Number(host.slice(at + 1)) };
}

/**
 * How to reach each host of an ssh target: its address, the user, the key (identity_file, else
 * the ssh-agent at SSH_AUTH_SOCK) and the host keys known_hosts pins for it. Files are read
 * here, once, so a missing one is named before any host is touched.
 */
export function sshEndpoints(
  environment: string,
  target: SshTargetConfig,
  configDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Map<string, SshEndpoint> {
  const key = (name: string) => `environments.${environment}.target.${name}`;
  const knownFile = configPath(target.known_hosts, configDir);
  const known = parseKnownHosts(readConfigFile(knownFile, key('known_hosts')).toString('utf8'));
  const privateKey = target.identity_file
    ? readConfigFile(configPath(target.identity_file, configDir), key('identity_file'))
    : undefined;
  const agentSocket = env['SSH_AUTH_SOCK'];
  if (!privateKey && !agentSocket)
    throw new CutoverError(
      'E_INVALID_INPUT',
      `${key('identity_file')}: not set and no ssh-agent (SSH_AUTH_SOCK is empty): name a private key or start an agent`,
    );
  const endpoints = new Map<string, SshEndpoint>();
  for (const host of target.hosts) {
    const { address, port } = splitHost(host);
    endpoints.set(host, {
      host: address,
      port,
      user: target.user,
      ...(privateKey ? { privateKey } : { agentSocket }),
      known: known(address, port),
    });
  }
  return endpoints;
}

function readConfigFile(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new CutoverError('E_INVALID_INPUT', `${key}: cannot read ${path}: ${why}`);
  }
}
