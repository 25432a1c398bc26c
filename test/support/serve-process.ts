import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { CLI } from './cli.js';

/** The SHA-256 cutover.yaml's `tokens:` stores for `token`. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * `cutover serve --listen 127.0.0.1:0 …extra` in `dir`, the built CLI as a user starts it; resolves
 * once it says where it listens. `stop` sends `signal` and resolves with its exit code and stderr.
 */
export async function startServe(dir: string, env: NodeJS.ProcessEnv, ...extra: string[]) {
  const child = spawn(process.execPath, [CLI, 'serve', '--listen', '127.0.0.1:0', ...extra], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`cutover serve exited ${code}:\n${stderr}`)));
  });
  return {
    url,
    pid: child.pid!,
    output: () => ({ stdout, stderr }),
    /** a request to the API with `token` (none: no Authorization header); JSON bodies both ways */
    async call(method: string, path: string, token?: string, body?: unknown) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: res.status, body: json };
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      child.kill(signal);
      return { code: await exited, stderr };
    },
  };
}

export type ServeProcess = Awaited<ReturnType<typeof startServe>>;
