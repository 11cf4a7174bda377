// A range read through the time index gives the report a whole read gives for that range, while it
// reads only a part of the log: over the bench's generated stderr log with the seed's prefix, a
// grown file, a file rotated under the same name, an index built across incremental reads, csvlog
// and jsonlog with multi-line records, entries without a time, and gzip (read whole or not at all).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Fingerprinter, LogAnalyzer, LogIndex, hostFileSource, readLogs, type LogCursor, type LogReport } from '../../../../src/core/logs';
import { localHost } from '../../../../src/core/host/localHost';
import { generate } from '../../../../bench/logGenerator';
import { tempDir } from '../../../support/tempDir';

const PREFIX = '%m [%p] %q%u@%d ';
const fp = Fingerprinter.create();

interface Read {
  report: LogReport;
  bytes: number;
  cursors: LogCursor[];
}

async function read(
  files: string[],
  opts: { range?: [number, number]; index?: LogIndex; within?: boolean; cursors?: Map<string, LogCursor>; prefix?: string } = {},
): Promise<Read> {
  const [since, until] = opts.range ?? [];
  const a = new LogAnalyzer(await fp, since !== undefined ? { since, until: until! } : {});
  const r = await readLogs(
    files.map((f) => hostFileSource(localHost, f)),
    a,
    {
      prefix: opts.prefix ?? PREFIX,
      ...(opts.cursors ? { cursors: opts.cursors } : {}),
      ...(opts.index && !opts.within ? { indexInto: opts.index } : {}),
      ...(opts.index && opts.within ? { within: { index: opts.index, since: since!, until: until! } } : {}),
    },
  );
  return { report: a.report(r.reads), bytes: r.reads.reduce((n, x) => n + x.bytes, 0), cursors: r.cursors };
}

/** The report without what says how it was read. */
const figures = (r: LogReport) => ({ ...r, sources: r.sources.map((s) => s.label) });

/** The range read through the index equals a whole read for the range; returns the bytes it read. */
async function sameAsWhole(files: string[], index: LogIndex, since: number, until: number, prefix?: string): Promise<number> {
  const whole = await read(files, { range: [since, until], ...(prefix ? { prefix } : {}) });
  const part = await read(files, { range: [since, until], index, within: true, ...(prefix ? { prefix } : {}) });
  assert.deepEqual(figures(part.report), figures(whole.report), `range ${new Date(since).toISOString()} – ${new Date(until).toISOString()}`);
  return part.bytes;
}

const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);

test('the generated log: every range read through the index equals the whole read, and reads a small part of it', async (t) => {
  const dir = tempDir('timeindex-gen', t);
  const f = join(dir, 'postgresql.log');
  await generate(f, 4);
  const size = statSync(f).size;
  const index = new LogIndex(64 * 1024);
  const full = await read([f], { index });
  assert.ok(full.report.summary.statements > 10_000);
  const first = Date.parse(full.report.summary.first!);
  const last = Date.parse(full.report.summary.last!);
  const mid = (first + last) / 2;
  // A few seconds in the middle, at the start, at the end, the whole span, and beyond it.
  const midBytes = await sameAsWhole([f], index, mid, mid + 5_000);
  assert.ok(midBytes < size / 4, `a 5 s range read ${midBytes} of ${size} bytes`);
  assert.ok(midBytes > 0);
  await sameAsWhole([f], index, first, first + 3_000);
  await sameAsWhole([f], index, last - 3_000, last + 1);
  assert.equal(await sameAsWhole([f], index, first, last + 1), size);
  assert.equal(await sameAsWhole([f], index, last + 60_000, last + 120_000), 0);
  const someStatements = (await read([f], { range: [mid, mid + 5_000], index, within: true })).report.summary.statements;
  assert.ok(someStatements > 100, `${someStatements} statements in 5 s`);
});

const line = (ms: number, pid: number, level: string, msg: string) =>
  `${new Date(T0 + ms).toISOString().replace('T', ' ').replace('Z', ' UTC')} [${pid}] app@hotel ${level}:  ${msg}\n`;
function block(fromMs: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const ms = fromMs + i * 100;
    s += line(ms, 100 + (i % 7), 'LOG', `duration: ${1000 + i} ms  execute <unnamed>: SELECT * FROM rooms\n\tWHERE id = $1 AND n = ${i}`);
    s += line(ms, 100 + (i % 7), 'DETAIL', `parameters: $1 = '${i}'`);
    if (i % 9 === 0) s += line(ms, 100 + (i % 7), 'ERROR', `relation "t${i}" does not exist`) + line(ms, 100 + (i % 7), 'STATEMENT', `SELECT * FROM t${i}`);
  }
  return s;
}

test('a grown file: what it gained past its index is read; a rotated file under the same name is read whole', async (t) => {
  const dir = tempDir('timeindex-grow', t);
  const f = join(dir, 'postgresql.log');
  writeFileSync(f, block(0, 600));
  const index = new LogIndex(4096);
  await read([f], { index });
  appendFileSync(f, block(60_000, 300));
  // The range is in what the file gained only: the index's last segment and the new bytes.
  const grown = await sameAsWhole([f], index, T0 + 70_000, T0 + 80_000);
  assert.ok(grown < statSync(f).size / 2, `${grown} bytes`);
  await sameAsWhole([f], index, T0 + 20_000, T0 + 75_000);
  // Another file now (rotated, then written again): its head differs, so nothing of the index is trusted.
  writeFileSync(f, block(500_000, 400));
  assert.equal(await sameAsWhole([f], index, T0 + 510_000, T0 + 520_000), statSync(f).size);
});

test('an index built across incremental reads (cursors) serves a range that spans both reads', async (t) => {
  const dir = tempDir('timeindex-incr', t);
  const f = join(dir, 'postgresql.log');
  writeFileSync(f, block(0, 500));
  const index = new LogIndex(4096);
  const one = await read([f], { index });
  appendFileSync(f, block(50_000, 500));
  await read([f], { index, cursors: new Map(one.cursors.map((c) => [c.label, c])) });
  const size = statSync(f).size;
  const bytes = await sameAsWhole([f], index, T0 + 45_000, T0 + 55_000);
  assert.ok(bytes < size / 2, `${bytes} of ${size}`);
  await sameAsWhole([f], index, T0, T0 + 200_000);
});

test('csvlog with multi-line quoted fields and jsonlog: marks fall on records, ranges equal the whole read', async (t) => {
  const dir = tempDir('timeindex-csv', t);
  const csv = join(dir, 'postgresql.csv');
  const json = join(dir, 'postgresql.json');
  let c = '';
  let j = '';
  for (let i = 0; i < 800; i++) {
    const when = new Date(T0 + i * 250).toISOString().replace('T', ' ').replace('Z', ' UTC');
    const sql = `SELECT *\nFROM "rooms, ""big"""\nWHERE n = ${i}`;
    c += `${when},"app","hotel",${100 + (i % 5)},"127.0.0.1:5000",1,1,"SELECT",${when},1/1,0,LOG,00000,"duration: ${1000 + i} ms  statement: ${sql.replace(/"/g, '""')}",,,,,,,,,"psql","client backend",,0\n`;
    j += `${JSON.stringify({ timestamp: when, user: 'app', dbname: 'hotel', pid: 100 + (i % 5), error_severity: i % 11 === 0 ? 'ERROR' : 'LOG', state_code: i % 11 === 0 ? '42P01' : '00000', message: i % 11 === 0 ? `relation "t${i}" does not exist` : `duration: ${1000 + i} ms  statement: SELECT ${i}` })}\n`;
  }
  writeFileSync(csv, c);
  writeFileSync(json, j);
  for (const f of [csv, json]) {
    const index = new LogIndex(2048);
    const whole = await read([f], { index });
    assert.ok(whole.report.summary.statements > 600, `${f}: ${whole.report.summary.statements}`);
    const bytes = await sameAsWhole([f], index, T0 + 50_000, T0 + 60_000);
    assert.ok(bytes < statSync(f).size / 3, `${f}: ${bytes}`);
  }
});

test('entries without a time are in every range: a log whose prefix has no time is read whole', async (t) => {
  const dir = tempDir('timeindex-untimed', t);
  const f = join(dir, 'postgresql.log');
  let s = '';
  for (let i = 0; i < 400; i++) s += `[${100 + (i % 3)}] LOG:  duration: ${1000 + i} ms  statement: SELECT ${i}\n`;
  writeFileSync(f, s);
  const index = new LogIndex(1024);
  await read([f], { index, prefix: '[%p] ' });
  assert.equal(await sameAsWhole([f], index, T0, T0 + 1000, '[%p] '), statSync(f).size);
});

test('gzip: a rotated .gz file is not read for a range outside it, and read whole for one that meets it', async (t) => {
  const dir = tempDir('timeindex-gz', t);
  const gz = join(dir, 'postgresql-1.log.gz');
  const f = join(dir, 'postgresql-2.log');
  writeFileSync(gz, gzipSync(block(0, 300)));
  writeFileSync(f, block(100_000, 300));
  const index = new LogIndex(4096);
  await read([gz, f], { index });
  const later = await sameAsWhole([gz, f], index, T0 + 110_000, T0 + 115_000);
  assert.ok(later < statSync(f).size, `${later}`);
  const part = await read([gz, f], { range: [T0 + 110_000, T0 + 115_000], index, within: true });
  assert.equal(part.report.sources.find((s) => s.label === gz)?.bytes, 0);
  await sameAsWhole([gz, f], index, T0 + 10_000, T0 + 105_000);
});

test('stderr without the collector: DETAIL lines a few entries late and times out of order still reach their entry at a range edge', async (t) => {
  const dir = tempDir('timeindex-interleaved', t);
  const f = join(dir, 'postgresql.log');
  // Each statement's DETAIL comes after three other processes' lines, and each time is up to 0.3 s off.
  const lines: string[] = [];
  const late: string[] = [];
  for (let i = 0; i < 600; i++) {
    const ms = i * 100 + ((i * 7919) % 600) - 300;
    lines.push(line(ms, 100 + (i % 50), 'LOG', `duration: ${1000 + i} ms  execute <unnamed>: SELECT * FROM rooms WHERE id = $1`));
    late.push(line(ms, 100 + (i % 50), 'DETAIL', `parameters: $1 = '${i}'`));
    if (late.length > 3) lines.push(late.shift()!);
  }
  writeFileSync(f, lines.join('') + late.join(''));
  const index = new LogIndex(1024);
  await read([f], { index });
  for (let from = 5_000; from < 55_000; from += 3_700) await sameAsWhole([f], index, T0 + from, T0 + from + 2_000);
});

test("a read's progress counts the source bytes it reads, up to the total, and a read from a cursor counts only what is new", async (t) => {
  const dir = tempDir('timeindex-progress', t);
  const f = join(dir, 'postgresql.log');
  const gz = join(dir, 'postgresql-0.log.gz');
  await generate(f, 3);
  writeFileSync(gz, gzipSync(block(-500_000, 200)));
  const seen: [number, number][] = [];
  const a = new LogAnalyzer(await fp);
  const r = await readLogs([hostFileSource(localHost, gz), hostFileSource(localHost, f)], a, {
    prefix: PREFIX,
    onProgress: (done, total) => seen.push([done, total]),
  });
  const total = statSync(f).size + statSync(gz).size;
  assert.ok(seen.length >= 3, `${seen.length} progress calls`);
  assert.ok(seen.every(([, t]) => t === total));
  assert.ok(seen.every(([d], i) => i === 0 || d > seen[i - 1]![0]));
  assert.equal(seen.at(-1)![0], total);
  appendFileSync(f, block(10_000_000, 50));
  const again: number[] = [];
  await readLogs([hostFileSource(localHost, gz), hostFileSource(localHost, f)], new LogAnalyzer(await fp), {
    prefix: PREFIX,
    cursors: new Map(r.cursors.map((c) => [c.label, c])),
    onProgress: (done, t) => again.push(t),
  });
  assert.equal(again.at(-1), statSync(f).size - r.cursors.find((c) => c.label === f)!.offset);
});
