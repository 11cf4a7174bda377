// Several warnings of one action as one notification's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneNotice } from '../../../src/core/notice';

test('oneNotice: one warning as it is; several counted, numbered, each once, in one text', () => {
  assert.equal(oneNotice('pgdba dashboard, vps: ', ['connections at 85% of max_connections']), 'pgdba dashboard, vps: connections at 85% of max_connections');
  const text = oneNotice('pgdba dashboard, vps: ', ['connections at 85%.', 'replication lag 40 s', 'cache hit ratio 91%', 'wraparound at 51%']);
  assert.equal(text, 'pgdba dashboard, vps: 4 warnings: (1) connections at 85%; (2) replication lag 40 s; (3) cache hit ratio 91%; (4) wraparound at 51%.');
});
