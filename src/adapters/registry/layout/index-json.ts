import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CutoverError, type ErrorCode } from '../../../core/errors.js';
import { OCI_INDEX_MEDIA_TYPE, type BlobDescriptor } from '../../../ports/release.js';
import { writeFileAtomic } from './atomic-write.js';

export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
export const INDEX_FILE = 'index.json';

export interface IndexEntry extends BlobDescriptor {
  annotations?: Record<string, string>;
  [extra: string]: unknown;
}

export interface OciIndex {
  schemaVersion: number;
  mediaType?: string;
  manifests: IndexEntry[];
  [extra: string]: unknown;
}

export function emptyIndex(): OciIndex {
  return { schemaVersion: 2, mediaType: OCI_INDEX_MEDIA_TYPE, manifests: [] };
}

/** The layout's index.json; a layout that has none yet has an empty index. */
export async function readIndex(layoutDir: string, code: ErrorCode = 'E_INTERNAL'): Promise<OciIndex> {
  const path = join(layoutDir, INDEX_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyIndex();
    throw new CutoverError(code, `cannot read ${path}: ${(err as Error).message}`, { path }, err);
  }
  let index: OciIndex;
  try {
    index = JSON.parse(text) as OciIndex;
  } catch (err) {
    throw new CutoverError(code, `${path} is not valid JSON`, { path }, err);
  }
  if (!index || typeof index !== 'object' || !Array.isArray(index.manifests)) {
    throw new CutoverError(code, `${path} is not an OCI image index (no manifests array)`, { path });
  }
  return index;
}

export function writeIndex(layoutDir: string, index: OciIndex): Promise<void> {
  return writeFileAtomic(join(layoutDir, INDEX_FILE), `${JSON.stringify(index)}\n`);
}

export function findTag(index: OciIndex, tag: string): IndexEntry | undefined {
  return index.manifests.find((m) => m.annotations?.[REF_NAME_ANNOTATION] === tag);
}

/**
 * A copy of `index` where `tag` names `manifest` and nothing else. Tagged entries are kept in tag
 * order so that the same set of tags always gives the same index.json bytes; entries without a
 * tag (written by other tools) are kept as they were, first.
 */
export function withTag(index: OciIndex, manifest: BlobDescriptor, tag: string): OciIndex {
  const others = index.manifests.filter((m) => m.annotations?.[REF_NAME_ANNOTATION] !== tag);
  const entry: IndexEntry = {
    mediaType: manifest.mediaType,
    digest: manifest.digest,
    size: manifest.size,
    annotations: { [REF_NAME_ANNOTATION]: tag },
  };
  const untagged = others.filter((m) => m.annotations?.[REF_NAME_ANNOTATION] === undefined);
  const tagged = [...others.filter((m) => m.annotations?.[REF_NAME_ANNOTATION] !== undefined), entry];
  tagged.sort((a, b) =>
    compareBytes(a.annotations![REF_NAME_ANNOTATION]!, b.annotations![REF_NAME_ANNOTATION]!),
  );
  return {
    ...index,
    mediaType: index.mediaType ?? OCI_INDEX_MEDIA_TYPE,
    manifests: [...untagged, ...tagged],
  };
}

/** Byte order of the UTF-8 encodings, which is not JavaScript's UTF-16 order for every string. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
