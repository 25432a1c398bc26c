import { connect } from 'node:net';

/**
 * Writes `raw` (latin1) on a fresh connection and resolves with everything read until the
 * other side closes it, or until `idleMs` pass without a byte (then the connection is cut).
 */
export function exchangeRaw(port: number, raw: string | Buffer, idleMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw),
    );
    let text = '';
    socket.setTimeout(idleMs, () => socket.destroy());
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
    socket.on('close', () => resolve(text));
  });
}

/** Status codes of every response in a raw exchange, in order. */
export function statusesOf(raw: string): number[] {
  return [...raw.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
}
