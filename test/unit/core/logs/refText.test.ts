// A log line's reference as the panel and the rendered report show it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refText, topCounts } from '../../../../src/core/logs/refText';

test("refText: the file's name and the line; a source read through SQL without its label's sql:", () => {
  assert.equal(refText({ file: '/var/lib/postgresql/16/main/log/postgresql-2026-12-02.log', line: 42 }), 'postgresql-2026-12-02.log:42');
  assert.equal(refText({ file: 'sql:postgresql-2026-12-02_10:00.log', line: 75 }), 'postgresql-2026-12-02_10:00.log:75');
  assert.equal(refText({ file: 'server.log', line: 1 }), 'server.log:1');
});

test('topCounts: the largest first, at most n', () => {
  assert.equal(topCounts({ bob: 3, alice: 12, carol: 1, dan: 2 }), 'alice (12), bob (3), dan (2)');
  assert.equal(topCounts({}), '');
});
