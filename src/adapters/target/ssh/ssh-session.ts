import type { Duplex } from 'node:stream';
import type { Client, ConnectConfig } from 'ssh2';
import { CutoverError } from '../../../core/errors.js';
import { fingerprintOf, type KnownKey } from './known-hosts.js';
import { lazyRequire } from '../../../lib/lazy-require.js';

const ssh2 = lazyRequire<typeof import('ssh2')>('ssh2');

export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  /** a private key (OpenSSH or PEM); without it, the agent at `agentSocket` */
  privateKey?: Buffer;
  agentSocket?: string;
  /** the keys known_hosts pins for this host; any other key is refused */
  known: { keys: KnownKey[]; revoked: KnownKey[] };
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One SSH connection to a host, kept for a whole deploy; commands run as channels on it. */
export interface SshSession {
  readonly host: string;
  /** runs `command`; `input`, when given, is its stdin (then closed) */
  exec(command: string, input?: string): Promise<ExecResult>;
  /** copies a local file to `remotePath` over SFTP, on this connection */
  upload(localFile: string, remotePath: string): Promise<void>;
  /** a stream to a unix socket on the host (OpenSSH's streamlocal forwarding): no port opened */
  forwardToSocket(path: string, done: (err: Error | null, stream?: Duplex) => void): void;
  close(): void;
}

// Keepalives find a dead link within ~15 s instead of the kernel's minutes.
const KEEPALIVE_MS = 5000;
const KEEPALIVE_MAX = 3;
const READY_TIMEOUT_MS = 15_000;

/**
 * Connects and authenticates, pinning the host key: a key known_hosts does not list for the
 * host (or lists as revoked) is `E_HOST_KEY_REJECTED` with its fingerprint — never trusted on
 * first use. Anything else that keeps the session from opening is `E_HOST_UNREACHABLE`.
 */
export function openSshSession(endpoint: SshEndpoint): Promise<SshSession> {
  const where = `${endpoint.user}@${endpoint.host}:${endpoint.port}`;
  let rejected: string | undefined;
  const hostVerifier = (blob: Buffer): boolean => {
    const same = (k: KnownKey) => k.blob.equals(blob);
    if (endpoint.known.revoked.some(same))
      rejected = `its key ${fingerprintOf(blob)} is revoked in known_hosts`;
    else if (!endpoint.known.keys.some(same))
      rejected =
        endpoint.known.keys.length === 0
          ? `it is not in known_hosts (its key is ${fingerprintOf(blob)})`
          : `its key ${fingerprintOf(blob)} is not the one known_hosts lists (${endpoint.known.keys.map((k) => fingerprintOf(k.blob)).join(', ')})`;
    return rejected === undefined;
  };
  const config: ConnectConfig = {
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.user,
    readyTimeout: READY_TIMEOUT_MS,
    keepaliveInterval: KEEPALIVE_MS,
    keepaliveCountMax: KEEPALIVE_MAX,
    hostVerifier,
    ...(endpoint.privateKey ? { privateKey: endpoint.privateKey } : { agent: endpoint.agentSocket }),
  };
  return new Promise((resolve, reject) => {
    const client = new (ssh2().Client)();
    client.once('ready', () => resolve(sessionOf(endpoint.host, client)));
    client.once('error', (err: Error) => {
      client.end();
      if (rejected)
        reject(
          new CutoverError('E_HOST_KEY_REJECTED', `${where}: refused: ${rejected}`, { host: endpoint.host }),
        );
      else
        reject(
          new CutoverError('E_HOST_UNREACHABLE', `${where}: ${err.message}`, { host: endpoint.host }, err),
        );
    });
    client.connect(config);
  });
}

function sessionOf(host: string, client: Client): SshSession {
  return {
    host,
    exec: (command, input) =>
      new Promise((resolve, reject) => {
        client.exec(command, (err, stream) => {
          if (err)
            return reject(new CutoverError('E_HOST_UNREACHABLE', `${host}: ${err.message}`, { host }, err));
          let stdout = '';
          let stderr = '';
          stream.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
          stream.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
          stream.once('close', (code: number | null) => resolve({ code, stdout, stderr }));
          stream.end(input);
        });
      }),
    upload: (localFile, remotePath) =>
      new Promise((resolve, reject) => {
        const failed = (err: Error) =>
          reject(
            new CutoverError(
              'E_HOST_UNREACHABLE',
              `${host}: cannot upload ${remotePath}: ${err.message}`,
              { host },
              err,
            ),
          );
        client.sftp((err, sftp) => {
          if (err) return failed(err);
          sftp.fastPut(localFile, remotePath, (putErr) => {
            sftp.end();
            if (putErr) failed(putErr);
            else resolve();
          });
        });
      }),
    forwardToSocket: (path, done) =>
      client.openssh_forwardOutStreamLocal(path, (err, stream) => {
        if (err)
          done(
            new CutoverError(
              'E_HOST_UNREACHABLE',
              `${host}: cannot reach ${path}: ${err.message}`,
              { host },
              err,
            ),
          );
        else done(null, stream);
      }),
    close: () => client.end(),
  };
}
