import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Writes a self-signed P-256 certificate valid for two days, with its key, into `dir` as
 * `<name>.crt` and `<name>.key` (openssl must be installed). `ip` adds it as subjectAltName, for
 * a server on that address.
 */
export function writeSelfSignedCertificate(
  dir: string,
  name: string,
  subject: { cn: string; ip?: string },
): { certificate: string; key: string } {
  const certificate = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  const altName = subject.ip ? ['-addext', `subjectAltName=IP:${subject.ip}`] : [];
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-days', '2', '-subj', `/CN=${subject.cn}`, ...altName, '-keyout', key, '-out', certificate],
    ],
    { stdio: 'ignore' },
  );
  return { certificate, key };
}
