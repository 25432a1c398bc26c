import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { isCutoverError } from '../../../src/core/errors.js';
import { blobPath, digestBytes } from '../../../src/lib/oci/digest.js';
import { readVerifiedBlob } from '../../../src/lib/oci/verified-blob.js';
import { makeTempDir } from '../../support/tmp.js';

const code = (expected: string) => (err: unknown) => isCutoverError(err) && err.code === expected;

describe('readVerifiedBlob: the one reader of small OCI blobs', () => {
  const tmp = makeTempDir();
  after(tmp.cleanup);
  const layout = tmp.dir;
  const bytes = Buffer.from('{"schemaVersion":2}');
  const digest = digestBytes(bytes);
  const other = digestBytes(Buffer.from('something else'));

  it('returns a blob that hashes to its digest', async () => {
    await mkdir(`${layout}/blobs/sha256`, { recursive: true });
    await writeFile(blobPath(layout, digest), bytes);
    assert.deepEqual(await readVerifiedBlob(layout, digest), bytes);
  });

  it('refuses a blob altered on disk, whatever codes the caller picked', async () => {
    await writeFile(blobPath(layout, other), bytes);
    await assert.rejects(readVerifiedBlob(layout, other), code('E_DIGEST_MISMATCH'));
    await assert.rejects(
      readVerifiedBlob(layout, other, { missing: 'E_BUILD_FAILED' }),
      code('E_DIGEST_MISMATCH'),
    );
  });

  it("names a missing blob with the caller's code, E_NOT_FOUND by default", async () => {
    const absent = digestBytes(Buffer.from('never written'));
    await assert.rejects(readVerifiedBlob(layout, absent), code('E_NOT_FOUND'));
    await assert.rejects(
      readVerifiedBlob(layout, absent, { missing: 'E_BUILD_FAILED' }),
      code('E_BUILD_FAILED'),
    );
  });

  it('reads no file for a digest that is not sha256', async () => {
    await assert.rejects(readVerifiedBlob(layout, 'sha256:../../etc/passwd'), code('E_DIGEST_MISMATCH'));
    await assert.rejects(
      readVerifiedBlob(layout, 'sha256:../../etc/passwd', { invalid: 'E_INVALID_INPUT' }),
      code('E_INVALID_INPUT'),
    );
  });
});
