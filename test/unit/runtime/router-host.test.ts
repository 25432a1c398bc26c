import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localAddressOf, routerHost } from '../../../src/runtime/client/router-host.js';

test('CUTOVER_ROUTER_HOST: loopback unless set, an IP address only, and where the host itself reaches it', () => {
  assert.equal(routerHost(undefined), '127.0.0.1');
  assert.equal(routerHost(' '), '127.0.0.1');
  assert.equal(routerHost('10.1.2.3'), '10.1.2.3');
  assert.equal(routerHost('::'), '::');
  assert.throws(() => routerHost('example.com'), /CUTOVER_ROUTER_HOST="example.com": must be an IP address/);
  assert.equal(localAddressOf('0.0.0.0'), '127.0.0.1');
  assert.equal(localAddressOf('::'), '[::1]');
  assert.equal(localAddressOf('fd00::2'), '[fd00::2]');
  assert.equal(localAddressOf('10.1.2.3'), '10.1.2.3');
});
