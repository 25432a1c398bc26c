import { readFile } from 'node:fs/promises';
import { writeBlobBytes } from '../../src/adapters/registry/layout/blob-store.js';
import { blobPath } from '../../src/lib/oci/digest.js';
import { OCI_CONFIG_MEDIA_TYPE, OCI_MANIFEST_MEDIA_TYPE, type LocalImage } from '../../src/ports/release.js';
import type { TestImage } from './oci-images.js';

/**
 * `app` with `base`'s layers put under its own, the way `build.base` appends: written in `app`'s
 * layout, which holds none of the base's layers, so a push must take them from `base.remote`.
 * A test fixture for registries, which never look inside a config: it is not a runnable image.
 */
export async function appendOnBase(base: LocalImage, app: TestImage): Promise<LocalImage> {
  const baseConfig = JSON.parse(await readFile(blobPath(base.layoutDir, base.config.digest), 'utf8'));
  const appConfig = JSON.parse(await readFile(blobPath(app.layoutDir, app.config.digest), 'utf8'));
  const config = await writeBlobBytes(
    app.layoutDir,
    Buffer.from(
      JSON.stringify({
        ...appConfig,
        rootfs: { type: 'layers', diff_ids: [...baseConfig.rootfs.diff_ids, ...appConfig.rootfs.diff_ids] },
      }),
    ),
    OCI_CONFIG_MEDIA_TYPE,
  );
  const layers = [...base.layers, ...app.layers];
  const manifest = await writeBlobBytes(
    app.layoutDir,
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST_MEDIA_TYPE, config, layers })),
    OCI_MANIFEST_MEDIA_TYPE,
  );
  return { layoutDir: app.layoutDir, manifest, config, layers, remote: base.remote };
}
