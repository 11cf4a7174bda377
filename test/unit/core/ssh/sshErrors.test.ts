// The words of a forward the SSH server refused, by RFC 4254's reason code (the integration test
// sshHop.test.ts gets the first two from a real sshd; the ProxyJump's words are checked here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ForwardRefusedError } from '../../../../src/core/ssh/sshErrors';

test('a refused forward names the hop, the destination and what to do, by the reason the server gave', () => {
  const prohibited = new ForwardRefusedError('dba@hotel-1', '127.0.0.1', 5432, 1, 'open failed');
  assert.match(
    prohibited.message,
    /^SSH dba@hotel-1 could not forward to 127\.0\.0\.1:5432: the SSH server refuses to forward there \(it said "open failed"\)/,
  );
  assert.match(prohibited.message, /PermitOpen 127\.0\.0\.1:5432/);
  const refused = new ForwardRefusedError('dba@hotel-1', '127.0.0.1', 5433, 2, 'Connection refused');
  assert.match(refused.message, /nothing accepted the connection at 127\.0\.0\.1:5433 .* is PostgreSQL running there, and are the profile's host and port/);
  const jump = new ForwardRefusedError('dba@db via its ProxyJump', 'db.internal', 22, 2, 'Connection refused', 'sshd');
  assert.match(jump.message, /is sshd running there, and are the next hop's host and port/);
  const other = new ForwardRefusedError('dba@hotel-1', '127.0.0.1', 5432, 4, '');
  assert.equal(other.message, 'SSH dba@hotel-1 could not forward to 127.0.0.1:5432: the SSH server refused the channel');
});
