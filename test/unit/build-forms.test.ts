import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CutoverError } from '../../src/core/errors.js';
import { parseImageReference } from '../../src/core/image-reference.js';
import { changesetSchema } from '../../src/core/schema/changeset.js';
import { loadChangeset } from '../../src/inputs/load-inputs.js';
import { validateYamlText } from '../../src/inputs/load-yaml.js';

const HEAD = ["id: '1'", 'service: shop', "version: '1.0.0'", "commit: 'abc1234'", 'feature_flag: ff-shop'];

function parse(...lines: string[]) {
  return validateYamlText([...HEAD, ...lines].join('\n'), changesetSchema, 'changeset', 'cs.yaml');
}

/** The problem lines a changeset ending with `lines` gets (its lines start at 6). */
function problems(...lines: string[]): string[] {
  try {
    parse(...lines);
  } catch (err) {
    assert.ok(err instanceof CutoverError, String(err));
    return err.details.errors as string[];
  }
  assert.fail('expected an input error');
}

test('the two runnable-image forms and the old ones are accepted', () => {
  assert.equal(
    parse('source: ./app', 'build: { base: "127.0.0.1:5000/nodebase:20", workdir: /srv/app }').build?.workdir,
    '/srv/app',
  );
  assert.equal(
    parse('build: { base: nodebase@sha256:' + 'a'.repeat(64) + ', command: make, output: ./out }').build
      ?.command,
    'make',
  );
  assert.equal(
    parse('source: ./app', 'build: { containerfile: Containerfile, source_url: "https://x.example/shop" }')
      .build?.containerfile,
    'Containerfile',
  );
  assert.equal(parse('source: ./app').build, undefined);
  assert.equal(parse('build: { command: make, output: ./out }').build?.output, './out');
});

test('invalid combinations are one file:line: path: message each', () => {
  assert.deepEqual(problems('source: ./app', 'build: { base: nodebase, containerfile: Containerfile }'), [
    'cs.yaml:7: build.base: give either base or containerfile, not both',
  ]);
  // A missing key has no line of its own: the document's first line stands for it.
  assert.deepEqual(problems('build: { containerfile: Dockerfile, workdir: /app, port: 80 }'), [
    'cs.yaml:1: source: is required with build.containerfile (the build context)',
    'cs.yaml:6: build.workdir: only with build.base (the Containerfile sets WORKDIR)',
    'cs.yaml:6: build.port: only with build.base (the Containerfile sets EXPOSE)',
  ]);
  assert.deepEqual(
    problems('source: ./app', 'build: { containerfile: Containerfile, command: make, output: out }'),
    ['cs.yaml:7: build.command: the Containerfile builds the image: give either containerfile or command'],
  );
  assert.deepEqual(problems('build: { base: nodebase:20 }'), [
    'cs.yaml:1: source: is required with build.base (or give build.command and build.output)',
  ]);
  assert.deepEqual(problems('source: ./app', 'build: { base: nodebase, command: make, output: out }'), [
    'cs.yaml:7: build: give either source or build.command, not both',
  ]);
  assert.deepEqual(problems('source: ./app', 'build: { workdir: /app }'), [
    'cs.yaml:7: build.workdir: only with build.base or build.containerfile',
  ]);
  assert.deepEqual(problems('source: ./app', 'build: {}'), [
    'cs.yaml:7: build: give command and output, base, or containerfile',
  ]);
  assert.deepEqual(problems('build: { command: make }'), [
    'cs.yaml:6: build.output: is required with build.command',
  ]);
});

test('bad values: a reference, a workdir, a port, a URL', () => {
  assert.deepEqual(
    problems(
      'source: ./app',
      'build:',
      '  base: Node:20',
      '  workdir: app/../x',
      '  port: 70000',
      '  source_url: ftp://x',
    ),
    [
      'cs.yaml:8: build.base: must be an image reference: [host[:port]/]repository[:tag][@sha256:…], repository in lowercase',
      'cs.yaml:9: build.workdir: must be an absolute path in the image, e.g. /app',
      'cs.yaml:10: build.port: must be at most 65535',
      'cs.yaml:11: build.source_url: must be an http(s) URL',
    ],
  );
  assert.deepEqual(problems('source: ./app', 'build: { base: "nodebase@sha256:12", workdir: /a/../b }'), [
    'cs.yaml:7: build.base: its digest must be sha256:<64 hex digits>',
    'cs.yaml:7: build.workdir: must not contain . or .. components',
  ]);
});

test('image references: a host only when the first component looks like one', () => {
  assert.deepEqual(parseImageReference('127.0.0.1:5000/team/nodebase:20'), {
    host: '127.0.0.1:5000',
    repository: 'team/nodebase',
    tag: '20',
  });
  assert.deepEqual(parseImageReference('team/nodebase'), { repository: 'team/nodebase' });
  assert.deepEqual(parseImageReference('localhost/node:20@sha256:' + 'b'.repeat(64)), {
    host: 'localhost',
    repository: 'node',
    tag: '20',
    digest: 'sha256:' + 'b'.repeat(64),
  });
  assert.equal(typeof parseImageReference('docker.io/library/node:20:x'), 'string');
});

test("the example's base-image and Containerfile variants are valid changesets", () => {
  const example = (name: string) =>
    loadChangeset(fileURLToPath(new URL(`../../../examples/orders-api/${name}`, import.meta.url))).changeset;
  assert.equal(example('changeset-base-image.yaml').build?.base, 'nodebase:20');
  assert.equal(example('changeset-containerfile.yaml').build?.containerfile, 'Containerfile');
});
