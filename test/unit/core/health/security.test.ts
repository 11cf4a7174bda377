// Security posture's pure part: which listen_addresses reach beyond this machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listensBeyondLocalhost } from '../../../../src/core/health/security';

test('listensBeyondLocalhost: loopback names and Unix sockets only stay local; *, an address or a name do not', () => {
  assert.equal(listensBeyondLocalhost('localhost'), false);
  assert.equal(listensBeyondLocalhost('127.0.0.1, ::1'), false);
  assert.equal(listensBeyondLocalhost(''), false, 'Unix sockets only');
  assert.equal(listensBeyondLocalhost('*'), true);
  assert.equal(listensBeyondLocalhost('localhost,10.0.0.5'), true);
  assert.equal(listensBeyondLocalhost('db.internal'), true);
});
