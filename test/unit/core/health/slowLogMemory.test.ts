// SlowLogMemory on its own: a window goes on only on the same calendar day, with the same
// settings, and never backwards in time; two reports at once take turns; a file's reads add up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fingerprinter, LogAnalyzer, type SourceRead } from '../../../../src/core/logs';
import { localDay, mergeRead, SlowLogMemory, type SlowLogWindow } from '../../../../src/core/health/slowLogMemory';

const at = (h: number, m = 0, dayOffset = 0) => new Date(2026, 11, 1 + dayOffset, h, m);

async function windowAt(now: Date, key = 'k'): Promise<SlowLogWindow> {
  return {
    key,
    where: 'on this machine',
    day: localDay(now),
    since: now.getTime() - 86_400_000,
    readAt: now.getTime(),
    analyzer: new LogAnalyzer(await Fingerprinter.create()),
    cursors: new Map(),
    reads: new Map(),
  };
}

test('a kept window goes on the same day with the same settings; a new day, other settings or an earlier "now" start over', async () => {
  const m = new SlowLogMemory();
  assert.deepEqual(m.take(at(9), 'k'), {}, 'nothing kept yet');
  const w = await windowAt(at(9));
  m.keep(w, { bytes: 10, continued: false });
  const taken = m.take(at(23, 59), 'k');
  assert.ok('window' in taken && taken.window === w);
  assert.deepEqual(m.take(at(23, 59), 'k'), {}, 'taken once: a report that fails keeps nothing');
  m.keep(w, { bytes: 1, continued: true });
  assert.deepEqual(m.take(at(0, 1, 1), 'k'), { restart: 'a new day' });
  m.keep(w, { bytes: 1, continued: true });
  assert.deepEqual(m.take(at(10), 'other'), { restart: 'the log settings changed' });
  m.keep(w, { bytes: 1, continued: true });
  assert.deepEqual(m.take(at(8), 'k'), { restart: 'the report is older than the last one' });
});

test('two reports of one server at once take turns, and a failed one does not stop the next', async () => {
  const m = new SlowLogMemory();
  const order: string[] = [];
  const slow = m.exclusive(async () => {
    order.push('a start');
    await new Promise((r) => setTimeout(r, 30));
    order.push('a end');
    throw new Error('a failed');
  });
  const fast = m.exclusive(() => {
    order.push('b');
    return Promise.resolve('b done');
  });
  await assert.rejects(slow, /a failed/);
  assert.equal(await fast, 'b done');
  assert.deepEqual(order, ['a start', 'a end', 'b']);
});

test("a file's reads add up: bytes, lines and unplaced lines; the first unplaced samples and the latest tail", () => {
  const r = (from: number, bytes: number, unplaced: number[], tail: boolean): SourceRead => ({
    label: 'f.log',
    format: 'stderr',
    from,
    bytes,
    lines: bytes / 10,
    unplacedLines: unplaced.length,
    unplacedSamples: unplaced,
    oversizedLines: 0,
    incompleteTail: tail,
  });
  const a = mergeRead(undefined, r(0, 100, [3], true));
  const b = mergeRead(a, r(100, 50, [12, 13], false));
  assert.deepEqual(
    { from: b.from, bytes: b.bytes, lines: b.lines, unplacedLines: b.unplacedLines, unplacedSamples: b.unplacedSamples, incompleteTail: b.incompleteTail },
    { from: 0, bytes: 150, lines: 15, unplacedLines: 3, unplacedSamples: [3], incompleteTail: false },
  );
});
