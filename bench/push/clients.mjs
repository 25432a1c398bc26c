// The three clients compared: each pushes the bench image to a fresh registry and returns the
// time it took in seconds (and, for cutover, its peak RSS).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export async function pushWithCutover(registry, layout, thresholdMiB, chunkMiB) {
  const child = new URL('./cutover-child.mjs', import.meta.url).pathname;
  const out = await run(process.execPath, [
    child,
    registry.url,
    layout.imagePath,
    String(thresholdMiB),
    ...(chunkMiB ? [String(chunkMiB)] : []),
  ]);
  return JSON.parse(out.trim().split('\n').pop());
}

export async function pushWithSkopeo(registry, layout) {
  const started = performance.now();
  await run('skopeo', [
    '--insecure-policy',
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    `oci:${layout.dir}:bench`,
    `docker://127.0.0.1:${registry.port}/bench/skopeo:bench`,
  ]);
  return { seconds: (performance.now() - started) / 1000 };
}

/** The floor: POST an upload, then `curl -T` the blob into it (no manifest, no checks). */
export async function pushWithCurl(registry, layout) {
  const layer = layout.image.layers[0];
  const path = join(layout.dir, 'blobs', 'sha256', layer.digest.slice('sha256:'.length));
  const started = performance.now();
  const head = await run('curl', [
    '-s',
    '-D',
    '-',
    '-o',
    '/dev/null',
    '-X',
    'POST',
    `${registry.url}/v2/bench/curl/blobs/uploads/`,
  ]);
  const location = /^location:\s*(\S+)/im.exec(head)[1];
  const target = `${location}&digest=${encodeURIComponent(layer.digest)}`;
  const status = await run('curl', [
    '-s',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    '-T',
    path,
    '-H',
    'Content-Type: application/octet-stream',
    target,
  ]);
  if (status.trim() !== '201') throw new Error(`curl PUT answered ${status}`);
  return { seconds: (performance.now() - started) / 1000 };
}

function run(command, argv) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    );
  });
}
