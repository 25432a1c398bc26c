import { open } from 'node:fs/promises';
import { plainLog } from '../../lib/container-log.js';

// How often a followed log is checked for more output.
const POLL_MS = 250;

/**
 * Prints what is appended to `file` from byte `from` on, whole lines at a time and as the app
 * wrote them, until `signal` aborts. A file that shrinks (replaced) is read again from its start.
 */
export async function followFile(
  file: string,
  from: number,
  write: (text: string) => void,
  signal: AbortSignal,
): Promise<void> {
  let offset = from;
  let pending = '';
  while (!signal.aborted) {
    const handle = await open(file, 'r').catch(() => null);
    if (handle) {
      try {
        const { size } = await handle.stat();
        if (size < offset) offset = 0;
        if (size > offset) {
          const buffer = Buffer.alloc(size - offset);
          await handle.read(buffer, 0, buffer.length, offset);
          offset = size;
          const text = pending + buffer.toString('utf8');
          const end = text.lastIndexOf('\n') + 1;
          pending = text.slice(end);
          if (end > 0) write(plainLog(text.slice(0, end)));
        }
      } finally {
        await handle.close();
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
