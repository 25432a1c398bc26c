import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { Relayed, ResponseRelay } from '../../../src/runtime/http/response-relay.js';

/** What the relay writes to, recording every byte as it was at the time of the write. */
function client() {
  const written: Buffer[] = [];
  const socket = {
    write: (data: Buffer | string) => {
      written.push(Buffer.from(data as Buffer));
      return true;
    },
  } as unknown as Socket;
  return { socket, text: () => Buffer.concat(written).toString('latin1') };
}

test('a head split across reads survives the read buffer being reused, after a dropped 103', () => {
  const to = client();
  const relay = new ResponseRelay(to);
  // The connection reads into one buffer and reuses it for its next read (net's onread).
  const readBuffer = Buffer.alloc(256);
  const read = (text: string) => readBuffer.subarray(0, readBuffer.write(text, 'latin1'));
  const first = read('HTTP/1.1 103 Early Hints\r\nlink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\ncontent-le');
  assert.equal(relay.relay(first, 'GET', null, false), Relayed.More);
  readBuffer.fill('#'.charCodeAt(0));
  assert.equal(relay.relay(read('ngth: 2\r\n\r\nok'), 'GET', null, false), Relayed.Done);
  assert.equal(to.text(), 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
  assert.equal(relay.status, 200);
});

test('a head split in its first read survives the read buffer being reused', () => {
  const to = client();
  const relay = new ResponseRelay(to);
  const readBuffer = Buffer.alloc(256);
  const read = (text: string) => readBuffer.subarray(0, readBuffer.write(text, 'latin1'));
  assert.equal(relay.relay(read('HTTP/1.1 404 Not Found\r\ncontent-'), 'GET', null, false), Relayed.More);
  readBuffer.fill('#'.charCodeAt(0));
  assert.equal(relay.relay(read('length: 0\r\n\r\n'), 'GET', null, false), Relayed.Done);
  assert.equal(to.text(), 'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
});
