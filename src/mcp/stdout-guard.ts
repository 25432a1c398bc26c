import { Writable } from 'node:stream';

/**
 * Takes stdout for the MCP protocol: the returned stream writes to it, and anything else in this
 * process that writes to process.stdout (a progress line, a library's console.log) goes to stderr
 * instead, where it cannot corrupt the client's JSON-RPC stream. Child processes never share it:
 * the runtime daemon and builds get their own stdio (src/runtime/client/daemon-control.ts).
 */
export function claimStdout(): Writable {
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout) as (
    chunk: unknown,
    callback?: (err?: Error | null) => void,
  ) => boolean;
  const protocol = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      write(chunk, (err) => callback(err ?? null));
    },
  });
  stdout.write = process.stderr.write.bind(process.stderr) as typeof stdout.write;
  return protocol;
}
