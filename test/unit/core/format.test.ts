import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAgo, formatBytes, formatCount, formatDuration, formatPct } from '../../../src/core/format';
import { toMarkdownTable } from '../../../src/core/markdownTable';

test('sizes, durations, percentages and counts read as a DBA expects', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1536), '1.50 kB');
  assert.equal(formatBytes(78 * 1024 * 1024), '78.0 MB');
  assert.equal(formatBytes(null), '–');
  assert.equal(formatDuration(0.25), '250 ms');
  assert.equal(formatDuration(75), '1 min 15 s');
  assert.equal(formatDuration(3 * 86400 + 7200), '3 d 2 h');
  assert.equal(formatPct(97.346, 2), '97.35 %');
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatAgo(null), 'never');
  assert.equal(formatAgo('2026-01-01T00:00:00Z', Date.parse('2026-01-01T02:00:00Z')), '2 h 0 min ago');
});

test('a Markdown table escapes pipes and newlines, and renders arrays and nulls', () => {
  const md = toMarkdownTable(
    ['query', 'calls', 'tags'],
    [
      { query: 'SELECT a | b\nFROM t', calls: 3, tags: ['x', 'y'] },
      { query: null, calls: 0, tags: null },
    ],
  );
  assert.equal(md, '| query | calls | tags |\n|---|---|---|\n| SELECT a \\| b FROM t | 3 | x, y |\n|  | 0 |  |\n');
});
