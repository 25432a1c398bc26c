import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function isSkopeoInstalled(): boolean {
  return spawnSync('skopeo', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Skip reason when skopeo is absent, or false to run. In CI a missing skopeo is not a reason to
 * skip: the test runs and fails, because an integration test never silently skips there.
 */
export function skipUnlessSkopeo(): string | false {
  if (process.env.CI === 'true' || isSkopeoInstalled()) return false;
  return 'skopeo is not installed (apt-get install -y skopeo); with CI=true this test fails instead';
}

/**
 * Runs skopeo and returns its stdout bytes. `--insecure-policy` because these tests copy between
 * local directories and must not depend on the machine's /etc/containers/policy.json.
 */
export async function runSkopeo(args: string[]): Promise<Buffer> {
  const { stdout } = await run('skopeo', ['--insecure-policy', ...args], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}
