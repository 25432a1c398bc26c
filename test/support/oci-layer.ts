import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { extract, type Header } from 'tar-stream';

export interface LayerEntry {
  header: Header;
  content: Buffer;
}

export function blobFile(layoutDir: string, digest: string): string {
  return join(layoutDir, 'blobs', 'sha256', digest.replace(/^sha256:/, ''));
}

export async function readJsonBlob<T>(layoutDir: string, digest: string): Promise<T> {
  return JSON.parse(await readFile(blobFile(layoutDir, digest), 'utf8')) as T;
}

/** Every entry of a gzip layer blob, in order, with its header as the tar holds it. */
export async function readLayerEntries(path: string): Promise<LayerEntry[]> {
  const entries: LayerEntry[] = [];
  const reader = extract();
  createReadStream(path)
    .pipe(createGunzip())
    .pipe(reader as unknown as NodeJS.WritableStream);
  for await (const entry of reader) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    entries.push({ header: entry.header, content: Buffer.concat(chunks) });
  }
  return entries;
}
