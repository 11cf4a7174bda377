// The reader over real files through HostAccess: formats, multi-line entries, rotated and .gz
// files in time order, incremental reads, and broken input (a cut last line, garbage, a prefix
// that does not fit), each read to the end with its count of what it could not place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Fingerprinter, LogAnalyzer, hostFileSource, readLogs, type LogCursor } from '../../../../src/core/logs';
import { localHost } from '../../../../src/core/host/localHost';
import { tempDir } from '../../../support/tempDir';
import { JSONLOG_FAILED_LOGIN } from '../../../support/logFuzz';

const L = (t: string, pid: number, who: string, level: string, msg: string) => `2026-12-01 ${t} UTC [${pid}] ${who}${level}:  ${msg}\n`;

async function read(paths: string[], opts: { prefix?: string; cursors?: Map<string, LogCursor> } = {}) {
  const a = new LogAnalyzer(await Fingerprinter.create());
  const { reads, cursors } = await readLogs(
    paths.map((p) => hostFileSource(localHost, p)),
    a,
    opts,
  );
  return { report: a.report(reads), cursors };
}

test('stderr: DETAIL and STATEMENT lines fold into their entry, tab lines continue it, another process between them does not split it', async (t) => {
  const dir = tempDir('logs-stderr', t);
  const f = join(dir, 'postgresql.log');
  writeFileSync(
    f,
    L('10:00:00.001', 7, 'app@hotel ', 'LOG', 'duration: 1500.5 ms  execute <unnamed>: SELECT *') +
      '\tFROM rooms WHERE id = $1\n' +
      L('10:00:00.002', 8, 'ops@hotel ', 'LOG', 'duration: 2.0 ms  statement: SELECT 1') +
      L('10:00:00.001', 7, 'app@hotel ', 'DETAIL', "parameters: $1 = '42'") +
      L('10:00:01.000', 7, 'app@hotel ', 'ERROR', 'division by zero') +
      L('10:00:01.000', 7, 'app@hotel ', 'STATEMENT', 'SELECT 1/0'),
  );
  const { report } = await read([f]);
  assert.equal(report.summary.statements, 2);
  const slow = report.statements.find((s) => s.count === 1 && s.maxMs === 1500.5)!;
  assert.equal(slow.query, 'SELECT * FROM rooms WHERE id = $1');
  assert.equal(slow.worst.parameters, "$1 = '42'");
  assert.equal(slow.worst.text, 'SELECT *\nFROM rooms WHERE id = $1');
  assert.deepEqual(slow.users, { app: 1 });
  assert.equal(report.errors[0]?.sample.statement, 'SELECT 1/0');
  assert.equal(report.sources[0]?.unplacedLines, 0);
  // PostgreSQL 18 writes "Parameters:".
  writeFileSync(
    f,
    L('10:00:00.001', 7, 'app@hotel ', 'LOG', 'duration: 9.5 ms  execute <unnamed>: SELECT $1') +
      L('10:00:00.001', 7, 'app@hotel ', 'DETAIL', "Parameters: $1 = '7'"),
  );
  assert.equal((await read([f])).report.statements[0]?.worst.parameters, "$1 = '7'");
});

test('syslog-prefixed lines, with their continuation chunks', async (t) => {
  const dir = tempDir('logs-syslog', t);
  const f = join(dir, 'syslog');
  writeFileSync(
    f,
    'Dec  1 10:00:00 db1 postgres[7]: [3-1] 2026-12-01 10:00:00.001 UTC [7] app@hotel LOG:  duration: 12.5 ms  statement: SELECT a\n' +
      'Dec  1 10:00:00 db1 postgres[7]: [3-2] #011FROM t\n' +
      'Dec  1 10:00:00 db1 postgres[7]: [4-1] 2026-12-01 10:00:00.002 UTC [7] app@hotel LOG:  connection authorized: user=app database=hotel\n',
  );
  const { report } = await read([f]);
  assert.equal(report.sources[0]?.format, 'syslog');
  assert.equal(report.statements[0]?.worst.text, 'SELECT a\nFROM t');
  assert.equal(report.summary.connections, 1);
});

test('rotated files are read in time order whatever their names, a .gz one too', async (t) => {
  const dir = tempDir('logs-rotated', t);
  const older = join(dir, 'b-older.log.gz');
  const newer = join(dir, 'a-newer.log');
  writeFileSync(older, gzipSync(L('09:00:00.000', 1, 'u@d ', 'LOG', 'duration: 5.0 ms  statement: SELECT 1')));
  writeFileSync(newer, L('11:00:00.000', 1, 'u@d ', 'LOG', 'duration: 7.0 ms  statement: SELECT 2'));
  const { report } = await read([newer, older]);
  assert.deepEqual(
    report.sources.map((s) => s.label),
    [older, newer],
  );
  assert.equal(report.summary.first, '2026-12-01T09:00:00.000Z');
  assert.equal(report.summary.statements, 2);
  assert.deepEqual(
    report.hourly.map((h) => h.hour),
    ['2026-12-01T09:00:00.000Z', '2026-12-01T11:00:00.000Z'],
  );
});

test('incremental: the second read starts where the first stopped; a cut last line waits for its end; a rotation starts over', async (t) => {
  const dir = tempDir('logs-follow', t);
  const f = join(dir, 'postgresql.log');
  writeFileSync(
    f,
    L('10:00:00.000', 1, 'u@d ', 'LOG', 'duration: 5.0 ms  statement: SELECT 1') + '2026-12-01 10:00:01.000 UTC [1] u@d LOG:  duration: 6.0 ms  stat',
  );
  const first = await read([f]);
  assert.equal(first.report.summary.statements, 1);
  assert.equal(first.report.sources[0]?.incompleteTail, true);
  appendFileSync(f, 'ement: SELECT 2\n' + L('10:00:02.000', 1, 'u@d ', 'LOG', 'duration: 7.0 ms  statement: SELECT 3'));
  const cursors = new Map(first.cursors.map((c) => [c.label, c]));
  const second = await read([f], { cursors });
  assert.equal(second.report.summary.statements, 2, 'the two new ones, the first not again');
  assert.equal(second.report.sources[0]?.incompleteTail, false);
  assert.equal(second.report.sources[0]?.from, first.cursors[0]?.offset);
  assert.equal(second.report.statements[0]?.worst.line, 3, 'line numbers go on from the first read');
  // Rotated: a new file under the name.
  renameSync(f, `${f}.1`);
  writeFileSync(f, L('11:00:00.000', 1, 'u@d ', 'LOG', 'duration: 9.0 ms  statement: SELECT 4'));
  const third = await read([f], { cursors: new Map(second.cursors.map((c) => [c.label, c])) });
  assert.equal(third.report.summary.statements, 1);
  assert.equal(third.report.sources[0]?.from, 0);
});

test('garbage and a prefix that does not fit: read to the end, the lines it could not place counted with where', async (t) => {
  const dir = tempDir('logs-garbage', t);
  const f = join(dir, 'postgresql.log');
  const garbage = Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x0a, 0xc3, 0x28, 0x0a]);
  writeFileSync(
    f,
    Buffer.concat([
      Buffer.from(L('10:00:00.000', 1, 'u@d ', 'LOG', 'duration: 5.0 ms  statement: SELECT 1')),
      garbage,
      Buffer.from(L('10:00:01.000', 1, 'u@d ', 'ERROR', 'x')),
    ]),
  );
  const { report } = await read([f]);
  assert.equal(report.summary.statements, 1);
  assert.equal(report.summary.errors, 1);
  assert.equal(report.sources[0]?.unplacedLines, 2);
  assert.deepEqual(report.sources[0]?.unplacedSamples, [2, 3]);
  assert.ok(report.findings.some((x) => x.code === 'LOG-UNPLACED' && x.level === 'info'));
  // The wrong prefix given: nothing placed, and the finding says to give the right one.
  const wrong = await read([f], { prefix: '%t [%p]: [%l-1] ' });
  assert.equal(wrong.report.summary.entries, 0);
  assert.equal(wrong.report.sources[0]?.unplacedLines, 4);
  assert.match(wrong.report.findings.find((x) => x.code === 'LOG-UNPLACED')!.fix!, /--prefix/);
});

test('a line past the 16 MB bound is cut there and counted; the lines after it keep their numbers', async (t) => {
  const dir = tempDir('logs-oversized', t);
  const f = join(dir, 'postgresql.log');
  const huge = L('10:00:00.000', 1, 'u@d ', 'LOG', `duration: 5.0 ms  statement: SELECT '${'x'.repeat(17 * 1024 * 1024)}'`);
  writeFileSync(f, huge + L('10:00:01.000', 1, 'u@d ', 'LOG', 'duration: 6.0 ms  statement: SELECT 2'));
  const { report, cursors } = await read([f]);
  assert.equal(report.sources[0]?.oversizedLines, 1);
  assert.equal(report.summary.statements, 2);
  assert.equal(report.statements[0]?.worst.line, 2);
  assert.equal(cursors[0]?.lines, 2);
});

test('csvlog: quoted fields with newlines and quotes; jsonlog: one object a line; both with SQLSTATE', async (t) => {
  const dir = tempDir('logs-csv', t);
  const csv = join(dir, 'postgresql.csv');
  writeFileSync(
    csv,
    '2026-12-01 10:00:00.000 UTC,"app","hotel",7,"10.0.0.7:5000",6b0e.7,1,"SELECT",2026-12-01 09:59:00 UTC,3/1,0,ERROR,42P01,"relation ""x"" does not exist",,,,,,"SELECT *\nFROM x",15,,"psql","client backend",,0\n',
  );
  const json = join(dir, 'postgresql.json');
  writeFileSync(json, JSONLOG_FAILED_LOGIN + '\n{not json\n');
  const c = await read([csv]);
  assert.equal(c.report.errors[0]?.sqlstate, '42P01');
  assert.equal(c.report.errors[0]?.sample.statement, 'SELECT *\nFROM x');
  assert.equal(c.report.errors[0]?.sample.host, '10.0.0.7');
  const j = await read([json]);
  assert.equal(j.report.summary.fatals, 1);
  assert.deepEqual(j.report.connections.authFailures[0]?.reasons, { 'password authentication failed': 1 });
  assert.equal(j.report.sources[0]?.unplacedLines, 1);
});

test('PgBouncer: logins, login failures by address, pooler errors, stats lines', async (t) => {
  const dir = tempDir('logs-bouncer', t);
  const f = join(dir, 'pgbouncer.log');
  writeFileSync(
    f,
    '2026-12-01 10:00:00.000 UTC [9] LOG C-0x55d1: hotel/app@10.0.0.7:5000 login attempt: db=hotel user=app tls=no\n' +
      '2026-12-01 10:00:01.000 UTC [9] WARNING C-0x55d2: hotel/app@10.0.0.9:5001 pooler error: password authentication failed\n' +
      '2026-12-01 10:00:02.000 UTC [9] WARNING C-0x55d3: (nodb)/(nouser)@10.0.0.9:5002 pooler error: no such database: nope\n' +
      '2026-12-01 10:00:03.000 UTC [9] LOG C-0x55d1: hotel/app@10.0.0.7:5000 closing because: client close request (age=3s)\n' +
      '2026-12-01 10:01:00.000 UTC [9] LOG stats: 12 xacts/s, 30 queries/s, in 1000 B/s, out 2000 B/s, xact 800 us, query 300 us, wait 5 us\n',
  );
  const { report } = await read([f]);
  const b = report.pgbouncer!;
  assert.equal(report.sources[0]?.format, 'pgbouncer');
  assert.equal(b.logins, 1);
  assert.equal(b.loginFailures[0]?.address, '10.0.0.9');
  assert.equal(b.poolErrors.length, 2);
  assert.deepEqual(b.closeReasons, { 'client close request': 1 });
  assert.equal(b.stats[0]?.queriesPerSec, 30);
});

test('a kept analyzer reports again after more entries: its figures are those of one read of everything, and the earlier report stays as it was', async (t) => {
  const dir = tempDir('logs-kept', t);
  const f = join(dir, 'postgresql.log');
  const session = (t: string, pid: number, s: string) =>
    L(t, pid, 'app@hotel ', 'LOG', `disconnection: session time: 0:00:${s} user=app database=hotel host=10.0.0.1 port=5000`);
  const lines = [
    session('10:00:00.001', 1, '01.000'),
    L('10:00:00.002', 1, 'app@hotel ', 'LOG', 'duration: 1.5 ms  statement: SELECT 1'),
    session('10:00:01.001', 2, '02.000'),
  ];
  writeFileSync(f, lines[0]! + lines[1]!);
  const kept = new LogAnalyzer(await Fingerprinter.create());
  const first = await readLogs([hostFileSource(localHost, f)], kept);
  const earlier = kept.report(first.reads);
  appendFileSync(f, lines[2]!);
  const second = await readLogs([hostFileSource(localHost, f)], kept, { cursors: new Map(first.cursors.map((c) => [c.label, c])) });
  assert.equal(second.reads[0]!.from, first.cursors[0]!.offset);
  const again = kept.report(second.reads);
  const whole = await read([f]);
  assert.deepEqual(again.connections.sessions, whole.report.connections.sessions);
  assert.equal(again.connections.sessions.count, 2);
  assert.deepEqual(
    [earlier.connections.sessions.count, earlier.connections.sessions.totalMs],
    [1, 1000],
    'the report shown before is not changed under its reader',
  );
  assert.deepEqual(again.statements, whole.report.statements);
});

test("logrotate's renames are followed: x.log → x.log.1 goes on from its cursor, x.log.2.gz read to its end before is not read again, one compressed with new lines gives only those", async (t) => {
  const dir = tempDir('logs-logrotate', t);
  const f = join(dir, 'postgresql-16-main.log');
  const one = `${f}.1`;
  const two = `${f}.2.gz`;
  let n = 0;
  const some = (k: number) =>
    Array.from({ length: k }, () =>
      L(`10:00:${String(n % 60).padStart(2, '0')}.000`, 100 + (n % 5), 'u@d ', 'LOG', `duration: 5.0 ms  statement: SELECT ${n++}`),
    ).join('');
  const files = () => [f, one, two].filter((p) => existsSync(p));
  let counted = 0;
  let cursors = new Map<string, LogCursor>();
  const readNew = async () => {
    const r = await read(files(), { cursors });
    cursors = new Map(r.cursors.map((c) => [c.label, c]));
    counted += r.report.summary.statements;
    return r.report;
  };
  writeFileSync(f, some(30));
  await readNew();
  // More lines, then the weekly rotation: renamed (the same inode), and a new file under the name.
  appendFileSync(f, some(7));
  renameSync(f, one);
  writeFileSync(f, some(5));
  const second = await readNew();
  assert.equal(second.summary.statements, 12, 'the 7 lines the renamed file gained and the new file’s 5');
  assert.ok((second.sources.find((s) => s.label === one)?.from ?? 0) > 0, 'the renamed file read from where it stopped');
  // The next rotation compresses x.log.1 (read to its end) into x.log.2.gz: a new file, read before.
  writeFileSync(two, gzipSync(readFileSync(one)));
  renameSync(f, one);
  writeFileSync(f, some(4));
  const third = await readNew();
  assert.equal(third.summary.statements, 4);
  assert.equal(third.sources.find((s) => s.label === two)?.bytes, 0, 'the .gz not read again');
  // A file compressed after it gained lines pgdba had not read: only those count.
  appendFileSync(one, some(3));
  rmSync(two);
  writeFileSync(two, gzipSync(readFileSync(one)));
  rmSync(one);
  renameSync(f, one);
  writeFileSync(f, some(2));
  const fourth = await readNew();
  assert.equal(fourth.summary.statements, 5, 'the 3 lines the compressed file gained and the new file’s 2');
  // Over all reads, each statement once: as many as were written.
  assert.equal(counted, n);
});
