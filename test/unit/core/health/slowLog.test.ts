// The slow query log's findings from a log report: the statement each group's fix runs (a read
// as is, a write rolled back, a utility statement none, one with $n placeholders a note with its
// parameters), levels from the log report's thresholds, and groups past the top five that are at a level.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Fingerprinter, LogAnalyzer, hostFileSource, readLogs } from '../../../../src/core/logs';
import { localHost } from '../../../../src/core/host/localHost';
import { resolveThresholds } from '../../../../src/core/stats/thresholds';
import { slowLogFindings, SLOW_LOG_TOP } from '../../../../src/core/health/slowLog';
import { tempDir } from '../../../support/tempDir';

const L = (n: number, msg: string, level = 'LOG') => `2026-12-01 10:00:${String(n % 60).padStart(2, '0')}.000 UTC [${100 + n}] app@hotel ${level}:  ${msg}\n`;

test('each group gets the EXPLAIN that is safe to run, and one at a level past the top five is shown', async (t) => {
  const dir = tempDir('slowlog-unit', t);
  const f = join(dir, 'postgresql.log');
  const lines = [
    L(1, 'duration: 9000.0 ms  statement: SELECT * FROM rooms WHERE id = 7'),
    L(2, 'duration: 8000.0 ms  statement: UPDATE rooms SET note = 1 WHERE id = 7'),
    L(3, 'duration: 7000.0 ms  statement: VACUUM rooms'),
    L(4, 'duration: 6000.0 ms  execute <unnamed>: SELECT * FROM guests WHERE id = $1'),
    L(4, "parameters: $1 = '42'", 'DETAIL'),
    L(5, 'duration: 5000.0 ms  statement: WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d'),
    L(6, 'duration: 4000.0 ms  statement: SELECT 6 FROM six'),
  ];
  // Past the top five by total time, but each call long enough for the long-statement threshold.
  const { thresholds } = resolveThresholds({ longQuerySeconds: { warn: 3, crit: 3.5 } });
  writeFileSync(f, lines.join(''));
  const a = new LogAnalyzer(await Fingerprinter.create(), { thresholds });
  const { reads } = await readLogs([hostFileSource(localHost, f)], a);
  const out = slowLogFindings(a.report(reads), 'on this machine', { minDurationMs: 1000 });
  const byQuery = (re: RegExp) => out.find((x) => re.test(x.subject));
  assert.deepEqual(byQuery(/^SELECT \* FROM rooms/)?.fix, { kind: 'sql', text: 'EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM rooms WHERE id = 7;' });
  assert.deepEqual(byQuery(/^UPDATE/)?.fix, { kind: 'sql', text: 'BEGIN;\nEXPLAIN (ANALYZE, BUFFERS) UPDATE rooms SET note = 1 WHERE id = 7;\nROLLBACK;' });
  assert.equal(byQuery(/^VACUUM/)?.fix, undefined);
  assert.match(byQuery(/guests/)?.fix?.text ?? '', /^EXPLAIN \(ANALYZE, BUFFERS\) its worst run with its parameters \(\$1 = '42'\)/);
  assert.match(byQuery(/^WITH d/)?.fix?.text ?? '', /^BEGIN;/);
  const sixth = byQuery(/six/);
  assert.ok(SLOW_LOG_TOP === 5 && sixth, 'the sixth group by total time is shown: it is at a level');
  assert.equal(sixth.level, 'critical');
  assert.ok(
    out.every((x) => x.level !== 'info' || x.subject !== 'errors'),
    'no errors, no errors row',
  );
  assert.match(out[0]!.observed, /^6 statements over 1\.0 s in 6 groups, 0 errors, 0 fatals in the last day$/);
});
