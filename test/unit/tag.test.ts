import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReleaseTag } from '../../src/core/tag.js';
import { CutoverError } from '../../src/core/errors.js';

const AT = new Date('2026-02-24T10:02:05Z');

test('the seed form: {version}-{commit_short}-{YYYYMMDD}', () => {
  assert.equal(formatReleaseTag('2.4.0', 'abc1234f9e0d', AT, 'date'), '2.4.0-abc1234-20260224');
});

test('datetime timestamps for several builds a day', () => {
  assert.equal(formatReleaseTag('2.4.0', 'abc1234', AT, 'datetime'), '2.4.0-abc1234-20260224100205');
});

test('semver build metadata + becomes _', () => {
  assert.equal(formatReleaseTag('2.4.0+build.7', 'abc1234', AT, 'date'), '2.4.0_build.7-abc1234-20260224');
});

test('characters outside the OCI tag grammar are an input error naming them', () => {
  assert.throws(
    () => formatReleaseTag('2.4.0/beta kind', 'abc1234', AT, 'date'),
    (err: CutoverError) => {
      assert.equal(err.code, 'E_TAG_INVALID');
      assert.equal(err.isInputError, true);
      assert.match(err.message, /characters not allowed in an OCI tag: "\/" " "/);
      return true;
    },
  );
});

test('a tag may not start with . or -', () => {
  assert.throws(
    () => formatReleaseTag('-2.4.0', 'abc1234', AT, 'date'),
    /must start with a letter, digit or _/,
  );
});

test('a tag longer than 128 characters is refused', () => {
  assert.throws(() => formatReleaseTag('1'.repeat(130), 'abc1234', AT, 'date'), /longer than 128/);
});
