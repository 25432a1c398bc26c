import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CutoverError } from '../../core/errors.js';
import type { ReleaseRef } from '../../core/model/release.js';
import { lastLine, podmanExec, podmanOk } from './podman-exec.js';

/** What to pull: `host/repository@digest` from a registry, or `oci:<layout dir>:<tag>`. */
export interface PullSource {
  image: string;
  /** false for a plain-HTTP or `insecure: true` registry */
  tls_verify: boolean;
}

/** Credentials for a pull; the CLI pulls with them, the runtime daemon never holds them. */
export interface RegistryAuth {
  username: string;
  password: string;
}

/**
 * Makes the release's image present in podman's storage and returns what `podman run` takes.
 * From a registry it is pulled by digest (podman checks the digest); from an OCI layout, by tag,
 * and then its manifest digest must be the release's. Anything else is `E_PULL_FAILED`.
 */
export async function pullContainerImage(
  request: PullSource,
  release: ReleaseRef,
  auth: RegistryAuth | undefined,
  signal?: AbortSignal,
): Promise<string> {
  if (request.image.startsWith('oci:')) return pullFromLayout(request.image, release, signal);
  const exists = await podmanExec(['image', 'exists', request.image], signal);
  if (exists.code === 0) return request.image;
  const authDir = auth ? await writeAuthFile(request.image, auth) : undefined;
  try {
    const args = ['pull', '--quiet', `--tls-verify=${request.tls_verify}`];
    if (authDir) args.push('--authfile', join(authDir, 'auth.json'));
    const out = await podmanExec([...args, request.image], signal);
    if (out.code !== 0) throw pullFailed(request.image, release, lastLine(out.stderr));
    return request.image;
  } finally {
    if (authDir) await rm(authDir, { recursive: true, force: true });
  }
}

async function pullFromLayout(image: string, release: ReleaseRef, signal?: AbortSignal): Promise<string> {
  // podman names an image pulled from a layout after the layout's path: it is named after the
  // release instead, and found by that name (and its digest) the next time.
  const name = `localhost/${release.repository}:${release.tag}`;
  const present = await podmanExec(['image', 'inspect', '--format', '{{.Id}} {{.Digest}}', name], signal);
  const [presentId, presentDigest] = present.stdout.trim().split(' ');
  if (present.code === 0 && presentId && presentDigest === release.digest) return presentId;
  // podman names the image after the layout's path, and refuses a path that is not a valid
  // image name (`.cutover` is not): it reads the layout through a symlink with a plain name.
  const link = join(tmpdir(), `cutover-oci-${randomBytes(8).toString('hex')}`);
  const [dir, tag] = splitLayoutReference(image);
  await symlink(dir, link);
  let out;
  try {
    out = await podmanExec(['pull', '--quiet', `oci:${link}:${tag}`], signal);
  } finally {
    await unlink(link).catch(() => undefined);
  }
  if (out.code !== 0) throw pullFailed(image, release, lastLine(out.stderr));
  const id = out.stdout.trim().split('\n').at(-1) ?? '';
  const inspect = ['image', 'inspect', '--format', '{{.Digest}} {{json .RepoTags}}', id];
  const [digest, tags] = splitOnce(await podmanOk(inspect, 'E_PULL_FAILED', `cannot inspect ${id}`));
  if (digest !== release.digest)
    throw pullFailed(image, release, `it is ${digest}, expected ${release.digest}`);
  await podmanOk(['tag', id, name], 'E_PULL_FAILED', `cannot tag ${id} as ${name}`);
  for (const named of JSON.parse(tags || '[]') as string[])
    if (named.startsWith(`localhost${link}:`)) await podmanExec(['untag', id, named]);
  return id;
}

/** `oci:<dir>:<tag>` → [dir, tag]. */
function splitLayoutReference(image: string): [string, string] {
  const rest = image.slice('oci:'.length);
  const at = rest.lastIndexOf(':');
  return [rest.slice(0, at), rest.slice(at + 1)];
}

function splitOnce(line: string): [string, string] {
  const text = line.trim();
  const at = text.indexOf(' ');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/** A registry's credentials for one pull, in a file only root can read, removed right after. */
async function writeAuthFile(image: string, auth: RegistryAuth): Promise<string> {
  const host = image.split('/')[0] ?? '';
  const dir = await mkdtemp(join(tmpdir(), 'cutover-pull-'));
  const token = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
  await writeFile(join(dir, 'auth.json'), JSON.stringify({ auths: { [host]: { auth: token } } }), {
    mode: 0o600,
  });
  return dir;
}

function pullFailed(image: string, release: ReleaseRef, why: string): CutoverError {
  return new CutoverError('E_PULL_FAILED', `cannot pull ${image}: ${why}`, {
    image,
    digest: release.digest,
  });
}
