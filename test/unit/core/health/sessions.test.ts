// Sessions' fixes: terminate the idle transaction (and bound the next ones when the timeout is
// off), cancel the long statement (and bound such statements for its role, quoted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sessionFix } from '../../../../src/core/health/sessions';

test('idle in transaction: terminate; the timeout proposed only when it is off, in minutes from the threshold', () => {
  const off = sessionFix({ pid: 7, state: 'idle in transaction', user: 'app', idleTimeoutMs: 0 }, 300).text.split('\n');
  assert.deepEqual(off, [
    'SELECT pg_terminate_backend(7);  -- ends the session and rolls back its transaction',
    "ALTER SYSTEM SET idle_in_transaction_session_timeout = '5min';  -- off now: ends such sessions by itself",
    'SELECT pg_reload_conf();',
  ]);
  assert.equal(sessionFix({ pid: 7, state: 'idle in transaction (aborted)', user: 'app', idleTimeoutMs: 600_000 }, 300).text.split('\n').length, 1);
});

test('a long statement: cancel it; statement_timeout for its role, the name quoted', () => {
  const lines = sessionFix({ pid: 9, state: 'active', user: 'Hotel "app"', idleTimeoutMs: 0 }, 300).text.split('\n');
  assert.match(lines[0]!, /^SELECT pg_cancel_backend\(9\);/);
  assert.equal(lines[1], `-- to bound such statements: ALTER ROLE "Hotel ""app""" SET statement_timeout = '…';`);
});
