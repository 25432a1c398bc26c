import { open } from 'node:fs/promises';
import { completeLines } from '../core/tail-window.js';
import { plainLog } from './container-log.js';

// How much of a log's end is read for its last lines.
const LOG_TAIL_BYTES = 4096;

/**
 * The last `lines` complete lines of a log file, for error messages; empty when there is none.
 * A container's log (k8s-file) is shown as the app wrote it.
 * Only the last {@link LOG_TAIL_BYTES} are read, and never the partial line they may start with
 * (see completeLines): an error quoting it is redacted, and a cut secret would not be.
 */
export async function readLogTail(file: string, lines = 10): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, LOG_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const cut = length < size;
    const text = plainLog(completeLines(buffer.toString('utf8'), cut));
    if (cut && text === '') return `(its last line is longer than ${LOG_TAIL_BYTES} bytes: not shown)`;
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } finally {
    await handle.close();
  }
}
