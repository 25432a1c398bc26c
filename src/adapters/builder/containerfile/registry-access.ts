import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RegistryConfig } from '../../../core/schema/config.js';
import { readCredentials } from '../../registry/oci-distribution/credentials.js';

/**
 * The `podman build` flags that let a `FROM` read the environment's registry as cutover does:
 * `--tls-verify=false` for an `http://` or `insecure: true` registry, and its credentials in an
 * auth file written (mode 0600) into `privateDir`, which the caller removes: on the command line
 * they would be readable in /proc by any user.
 */
export async function podmanRegistryArgs(
  config: RegistryConfig | undefined,
  env: NodeJS.ProcessEnv,
  privateDir: string,
): Promise<string[]> {
  if (config?.type !== 'oci-distribution') return [];
  const url = new URL(config.url);
  const args = url.protocol === 'http:' || config.insecure ? ['--tls-verify=false'] : [];
  const credentials = readCredentials(config, env);
  const secret = credentials.password ?? credentials.token;
  if (credentials.username && secret) {
    const auth = Buffer.from(`${credentials.username}:${secret}`).toString('base64');
    const file = join(privateDir, 'auth.json');
    await writeFile(file, JSON.stringify({ auths: { [url.host]: { auth } } }), { mode: 0o600 });
    args.push('--authfile', file);
  }
  return args;
}
