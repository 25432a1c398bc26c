import assert from 'node:assert/strict';
import { randomUUID, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createOciDistributionRegistry } from '../../../src/adapters/registry/oci-distribution/index.js';
import { CutoverError } from '../../../src/core/errors.js';
import type { OciDistributionRegistryConfig } from '../../../src/core/schema/config.js';
import {
  deployerConfig,
  startDockerRegistry,
  skipUnlessInstalled,
  type RunningRegistry,
} from '../../support/docker-registry.js';
import { buildTestImage, type TestImage } from '../../support/oci-images.js';
import { writeSelfSignedCertificate } from '../../support/self-signed-certificate.js';
import { makeTempDir } from '../../support/tmp.js';

const PASSWORD = 'secret-token-pass';
const SERVICE = 'cutover-test';
const ISSUER = 'cutover-test-issuer';

interface TokenService {
  url: string;
  /** PEM file of the certificate that signs the tokens: the registry's root bundle */
  certificate: string;
  /** every token request: its scopes and the user it authenticated, if any */
  requests: { scopes: string[]; user?: string }[];
  issue(scopes: string[], lifetimeS: number): string;
  close(): Promise<void>;
}

/**
 * A minimal Docker token service: checks basic credentials and signs an ES256 JWT granting the
 * requested scopes, with the certificate in `x5c` so the registry can check it against its root.
 */
async function startTokenService(dir: string): Promise<TokenService> {
  const { certificate, key: keyFile } = writeSelfSignedCertificate(dir, 'token', { cn: 'token' });
  const key = readFileSync(keyFile);
  const certDer = new X509Certificate(readFileSync(certificate)).raw.toString('base64');
  const requests: TokenService['requests'] = [];
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const issue = (scopes: string[], lifetimeS: number): string => {
    const now = Math.floor(Date.now() / 1000);
    const access = scopes.map((scope) => {
      const [type, name, actions] = scope.split(':');
      return { type, name, actions: (actions ?? '').split(',') };
    });
    const input = `${b64({ typ: 'JWT', alg: 'ES256', x5c: [certDer] })}.${b64({ iss: ISSUER, sub: 'deployer', aud: SERVICE, exp: now + lifetimeS, nbf: now - 10, iat: now, jti: randomUUID(), access })}`;
    return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const [user, password] = basic ? Buffer.from(basic[1]!, 'base64').toString().split(':') : [];
    const scopes = url.searchParams.getAll('scope');
    requests.push({ scopes, user });
    if (user !== 'deployer' || password !== PASSWORD) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}');
      return;
    }
    const token = issue(scopes, 300);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  return {
    url,
    certificate,
    requests,
    issue,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe(
  'oci-distribution with bearer tokens, against docker-registry',
  { skip: skipUnlessInstalled('docker-registry', 'openssl') },
  () => {
    let tokens: TokenService;
    let server: RunningRegistry;
    let image: TestImage;
    let config: OciDistributionRegistryConfig;
    const tmp = makeTempDir('cutover-token-');

    before(async () => {
      tokens = await startTokenService(tmp.dir);
      server = await startDockerRegistry({
        token: {
          realm: tokens.url,
          service: SERVICE,
          issuer: ISSUER,
          rootCertBundle: tokens.certificate,
        },
      });
      config = deployerConfig(server.url, 'full');
      image = await buildTestImage(tmp.dir, { files: { 'server.js': 'ok\n' } });
    });
    after(async () => {
      await server?.stop();
      await tokens?.close();
      tmp.cleanup();
    });

    it('fetches one token per scope set, sends each scope on its own, and reuses it until it expires', async () => {
      let now = 1_000_000;
      const registry = createOciDistributionRegistry(
        config,
        { REGISTRY_PASSWORD: PASSWORD },
        { now: () => now },
      );
      try {
        await registry.push(image, 'team/source', image.tag);
        assert.deepEqual(tokens.requests, [
          { scopes: ['repository:team/source:pull,push'], user: 'deployer' },
        ]);

        // A mount needs pull on the source as well: two scopes, two `scope=` parameters.
        await registry.push(image, 'team/target', image.tag);
        assert.ok(
          tokens.requests.some(
            (r) =>
              r.scopes.length === 2 &&
              r.scopes.includes('repository:team/source:pull') &&
              r.scopes.includes('repository:team/target:pull,push'),
          ),
        );

        const before = tokens.requests.length;
        assert.equal(await registry.resolve('team/target', image.tag), image.manifest.digest);
        assert.equal(await registry.resolve('team/target', image.tag), image.manifest.digest);
        assert.equal(tokens.requests.length, before + 1, 'one token for the pull scope, then cached');

        now += 301_000;
        assert.equal(await registry.resolve('team/target', image.tag), image.manifest.digest);
        assert.equal(tokens.requests.length, before + 2, 'expired token replaced');
      } finally {
        await registry.dispose?.();
      }
    });

    it('sends a token from token_env as it is', async () => {
      tokens.requests.length = 0;
      const token = tokens.issue(['repository:static:pull,push'], 300);
      const registry = createOciDistributionRegistry(
        { ...config, username: undefined, password_env: undefined, token_env: 'REGISTRY_TOKEN' },
        { REGISTRY_TOKEN: token },
      );
      try {
        assert.equal((await registry.push(image, 'static', image.tag)).digest, image.manifest.digest);
        assert.deepEqual(tokens.requests, []);
      } finally {
        await registry.dispose?.();
      }
    });

    it('reports refused credentials without the secret', async () => {
      const registry = createOciDistributionRegistry(config, { REGISTRY_PASSWORD: 'secret-wrong' });
      const err = await registry.push(image, 'refused', image.tag).catch((e: unknown) => e);
      await registry.dispose?.();
      assert.ok(err instanceof CutoverError);
      assert.equal(err.code, 'E_PUSH_FAILED');
      assert.match(err.message, new RegExp(`^authentication failed for ${server.url} as deployer`));
      assert.doesNotMatch(String(err) + JSON.stringify(err.details), /secret/);
    });

    it('reports a token that does not grant the repository as an authentication failure', async () => {
      const token = tokens.issue(['repository:elsewhere:pull'], 300);
      const registry = createOciDistributionRegistry(
        { ...config, username: undefined, password_env: undefined, token_env: 'REGISTRY_TOKEN' },
        { REGISTRY_TOKEN: token },
      );
      const err = await registry.push(image, 'not-granted', image.tag).catch((e: unknown) => e);
      await registry.dispose?.();
      assert.ok(err instanceof CutoverError);
      assert.match(err.message, /^authentication failed for http:\/\/127\.0\.0\.1:\d+/);
      assert.ok(!err.message.includes(token));
    });
  },
);
