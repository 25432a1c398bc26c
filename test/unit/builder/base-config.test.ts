import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeAppendedConfig } from '../../../src/adapters/builder/base-config.js';
import { createdAt } from '../../../src/adapters/builder/base-image.js';
import { makeChangeset } from '../../support/oci-images.js';

const base = {
  architecture: 'arm64',
  variant: 'v8',
  os: 'linux',
  config: {
    User: 'node',
    Entrypoint: ['docker-entrypoint.sh'],
    Cmd: ['node'],
    Env: ['PATH=/usr/bin', 'NODE_VERSION=20', 'APP_VERSION=base'],
    ExposedPorts: { '9229/tcp': {} },
    Labels: { maintainer: 'x', 'org.opencontainers.image.version': '20' },
    StopSignal: 'SIGINT',
  },
  rootfs: { type: 'layers', diff_ids: ['sha256:' + 'a'.repeat(64)] },
  history: [{ created_by: 'ADD rootfs' }],
};
const spec = {
  workdir: '/srv/app',
  port: 3000,
  created: '1970-01-01T00:00:00Z',
  baseName: 'reg.example/node:20',
  baseDigest: 'sha256:' + 'c'.repeat(64),
};
const changeset = makeChangeset({
  run: { command: ['node', 'server.js'], health_path: '/ready', env: { APP_VERSION: '2.4.0', A: '1' } },
});

test("the app's config keeps the base's platform, user, entrypoint and env, and adds the app", () => {
  const config = JSON.parse(
    encodeAppendedConfig(base, changeset, 'sha256:' + 'd'.repeat(64), spec).toString(),
  );
  assert.equal(config.architecture, 'arm64');
  assert.equal(config.variant, 'v8');
  assert.equal(config.created, '1970-01-01T00:00:00Z');
  assert.deepEqual(config.config, {
    User: 'node',
    Entrypoint: ['docker-entrypoint.sh'],
    Cmd: ['node', 'server.js'],
    Env: ['PATH=/usr/bin', 'NODE_VERSION=20', 'APP_VERSION=2.4.0', 'PORT=3000', 'A=1'],
    ExposedPorts: { '9229/tcp': {}, '3000/tcp': {} },
    Labels: {
      maintainer: 'x',
      'org.opencontainers.image.version': '2.4.0',
      'org.opencontainers.image.revision': 'abc1234f9e0d',
      'org.opencontainers.image.created': '1970-01-01T00:00:00Z',
      'org.opencontainers.image.base.name': 'reg.example/node:20',
      'org.opencontainers.image.base.digest': spec.baseDigest,
      'io.cutover.health-path': '/ready',
    },
    StopSignal: 'SIGINT',
    WorkingDir: '/srv/app',
  });
  assert.deepEqual(config.rootfs.diff_ids, ['sha256:' + 'a'.repeat(64), 'sha256:' + 'd'.repeat(64)]);
  assert.equal(config.history.length, 2, 'one history entry per layer');
});

test('the same base and app give the same bytes; PORT from run.env wins over the port', () => {
  const a = encodeAppendedConfig(base, changeset, 'sha256:' + 'd'.repeat(64), spec);
  assert.deepEqual(
    a,
    encodeAppendedConfig(structuredClone(base), changeset, 'sha256:' + 'd'.repeat(64), spec),
  );
  const withPort = makeChangeset({ run: { ...changeset.run, env: { PORT: '5000' } } });
  const env = JSON.parse(encodeAppendedConfig(base, withPort, 'sha256:' + 'd'.repeat(64), spec).toString())
    .config.Env;
  assert.ok(env.includes('PORT=5000') && !env.includes('PORT=3000'));
});

test('created is SOURCE_DATE_EPOCH when set, else 1970, never the clock', () => {
  assert.equal(createdAt({}), '1970-01-01T00:00:00Z');
  assert.equal(createdAt({ SOURCE_DATE_EPOCH: '1700000000' }), '2023-11-14T22:13:20Z');
  assert.equal(createdAt({ SOURCE_DATE_EPOCH: 'yesterday' }), '1970-01-01T00:00:00Z');
});
