import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PODMAN_GLOBAL_ARGS, PODMAN_ULIMIT_ARGS } from '../../src/lib/podman/podman-command.js';

const run = promisify(execFile);

/** Runs podman with the flags this machine needs (RECIPES "Containers") and returns its stdout. */
export async function podman(...args: string[]): Promise<string> {
  const { stdout } = await run('podman', [...PODMAN_GLOBAL_ARGS, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** `podman run -d` on the host network, labelled so that `removeContainers(label)` finds it. */
export async function runContainer(name: string, label: string, image: string, env: Record<string, string>) {
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  await podman(
    'run',
    '-d',
    '--name',
    name,
    '--label',
    label,
    '--network',
    'host',
    ...PODMAN_ULIMIT_ARGS,
    ...envArgs,
    image,
  );
}

/** Names of the containers (running or not) carrying `label` (`key=value`). */
export async function containersWith(label: string): Promise<string[]> {
  const out = await podman('ps', '-a', '--filter', `label=${label}`, '--format', '{{.Names}}');
  return out.split('\n').filter(Boolean);
}

export async function removeContainers(label: string): Promise<void> {
  for (const name of await containersWith(label)) await podman('rm', '--force', '--time', '0', name);
}

/** Ids of the images whose repository starts with `prefix` (`127.0.0.1:5000/`), tagged or not. */
export async function imagesUnder(prefix: string): Promise<string[]> {
  const out = await podman('images', '--all', '--format', '{{.ID}} {{.Repository}}');
  const ids = out
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([id, repository]) => id && repository?.startsWith(prefix))
    .map(([id]) => id!);
  return [...new Set(ids)];
}

export async function removeImagesUnder(prefix: string): Promise<void> {
  for (const id of await imagesUnder(prefix)) await podman('rmi', '--force', id).catch(() => undefined);
}
