// HBA024 over large files (issue #12 item 12): a 64k-line pg_hba.conf compared every pair of
// lines (about 2·10^9 comparisons, "Maximum call stack size exceeded" or minutes). Candidates
// now come from an index of database and user names; what it cannot narrow stops at a budget
// with HBA025 instead of running on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintHba } from '../../../../src/core/lint/hbaRules';
import { findShadowed, MAX_SHADOW_COMPARISONS } from '../../../../src/core/lint/hbaShadow';
import { parseHba } from '../../../../src/core/conf/hbaParser';

const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

test('64k lines of distinct databases: exact, every line checked, the one duplicate found', () => {
  const lines: string[] = [];
  for (let i = 0; i < 64_000; i++) lines.push(`host db${i} u${i} ${ip(i)}/32 scram-sha-256`);
  lines.push('host db7 u7 10.0.0.7/32 scram-sha-256');
  const f = lintHba(`${lines.join('\n')}\n`, { file: 'pg_hba.conf', major: 16 });
  assert.deepEqual(
    f.map((x) => [x.code, x.line]),
    [['HBA024', 64_001]],
  );
  assert.match(f[0]?.message ?? '', /line 8 \(host db7 u7 10\.0\.0\.7\/32 scram-sha-256\)/);
});

test('a name also covered by "all" on an earlier line is found through either index', () => {
  const text = 'host all bob 10.0.0.0/8 scram-sha-256\nhost sales all 10.0.0.0/8 md5\nhost sales bob 10.1.0.0/16 reject\n';
  const r = findShadowed(parseHba(text).records, 16);
  assert.deepEqual(
    r.shadowed.map((s) => [s.record.line, s.by.line]),
    [[3, 1]],
  );
  assert.equal(r.stoppedAt, undefined);
});

test('64k lines of "all all" that nothing narrows: HBA025 once, where the budget ran out', () => {
  const lines: string[] = [];
  for (let i = 0; i < 64_000; i++) lines.push(`host all all ${ip(i)}/32 scram-sha-256`);
  const f = lintHba(`${lines.join('\n')}\n`, { file: 'pg_hba.conf', major: 16 });
  const stop = f.filter((x) => x.code === 'HBA025');
  assert.equal(stop.length, 1);
  assert.equal(stop[0]?.severity, 'info');
  // Line n compares n−1 earlier lines: the budget is spent at the line where the sum passes it.
  const line = Math.ceil((1 + Math.sqrt(1 + 8 * MAX_SHADOW_COMPARISONS)) / 2);
  assert.ok(Math.abs((stop[0]?.line ?? 0) - line) <= 1, `${stop[0]?.line} vs ${line}`);
  assert.equal(f.filter((x) => x.code === 'HBA024').length, 0);
});
