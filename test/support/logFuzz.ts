// The log readers and the SQL shapes in the parsers' fuzz rig (test/support/parserFuzz.ts): the
// prefix compiler, the stderr/csvlog/jsonlog/PgBouncer parsers behind the chunked line reader
// (readLogs over an in-memory source, so chunk edges and cut UTF-8 are exercised), and the
// statement shapes (shapeKey, the fingerprint, the advisor's statementShape over the real
// parser's tree, and over hostile trees). Seeds are small logs of each format; the adversarial
// shapes are the ones that make a matcher backtrack or a walker recurse.
import { Fingerprinter, LogAnalyzer, readLogs, type LogFormat, type LogSource } from '../../src/core/logs';
import { compilePrefix } from '../../src/core/logs/prefix';
import { shapeKey } from '../../src/core/logs/fingerprint';
import { statementShape } from '../../src/core/advisor/predicates';
import { loadPgParser, MAX_PARSE_CHARS, type PgParser } from '../../src/core/sql/pgParser';

export type LogFuzzTarget = 'logPrefix' | 'logStderr' | 'logCsv' | 'logJson' | 'logBouncer' | 'sqlShape';
export const LOG_FUZZ_TARGETS: readonly LogFuzzTarget[] = ['logPrefix', 'logStderr', 'logCsv', 'logJson', 'logBouncer', 'sqlShape'];

const SEED_PREFIX = '%m [%p] %q%u@%d ';
const L = (pid: number, level: string, msg: string) => `2026-12-01 10:00:0${pid % 10}.000 UTC [${pid}] app@hotel ${level}:  ${msg}\n`;

const STDERR = [
  L(7, 'LOG', 'duration: 1500.5 ms  execute <unnamed>: SELECT *') + '\tFROM rooms WHERE id = $1\n' + L(7, 'DETAIL', "parameters: $1 = '42'"),
  L(8, 'ERROR', 'division by zero') + L(8, 'STATEMENT', 'SELECT 1/0'),
  L(9, 'LOG', 'connection authorized: user=app database=hotel') +
    L(9, 'LOG', 'disconnection: session time: 0:00:01.5 user=app database=hotel host=10.0.0.7 port=5000'),
  L(3, 'LOG', 'process 3 still waiting for ShareLock on transaction 7 after 1000.1 ms') + L(3, 'DETAIL', 'Process holding the lock: 4. Wait queue: 3.'),
  L(4, 'ERROR', 'deadlock detected') +
    L(4, 'DETAIL', 'Process 4 waits for ShareLock on transaction 8; blocked by process 5.\n\tProcess 5: UPDATE t SET a = 1\n\tProcess 4: UPDATE t SET a = 2'),
  L(5, 'LOG', 'temporary file: path "base/pgsql_tmp/pgsql_tmp5.0", size 2670592') + L(5, 'STATEMENT', 'SELECT g FROM generate_series(1, 200000) g ORDER BY g'),
  L(6, 'LOG', 'checkpoint starting: time') +
    L(
      6,
      'LOG',
      'checkpoint complete: wrote 3 buffers (0.0%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.1 s, sync=0.1 s, total=0.2 s; sync files=2, longest=0.1 s, average=0.1 s; distance=10 kB, estimate=10 kB',
    ),
  L(
    2,
    'LOG',
    'automatic vacuum of table "hotel.public.rooms": index scans: 1\n\tpages: 0 removed, 10 remain\n\ttuples: 5 removed, 50 remain\n\tsystem usage: CPU: user: 0.01 s, system: 0.00 s, elapsed: 0.05 s',
  ),
  L(1, 'FATAL', 'password authentication failed for user "app"') + L(1, 'FATAL', 'sorry, too many clients already'),
].join('');
const CSV =
  '2026-12-01 10:00:00.000 UTC,"app","hotel",7,"10.0.0.7:5000",6b0e.7,1,"SELECT",2026-12-01 09:59:00 UTC,3/1,0,ERROR,42P01,"relation ""x"" does not exist",,,,,,"SELECT *\nFROM x",15,,"psql","client backend",,0\n' +
  '2026-12-01 10:00:01.000 UTC,"app","hotel",8,"10.0.0.7:5001",6b0e.8,1,"SELECT",2026-12-01 09:59:00 UTC,3/2,0,LOG,00000,"duration: 1200.0 ms  statement: SELECT pg_sleep(1.2)",,,,,,,,,"psql","client backend",,0\n';
/** A jsonlog line of a failed login (FATAL 28P01 from 10.0.0.7), without its newline. */
export const JSONLOG_FAILED_LOGIN = JSON.stringify({
  timestamp: '2026-12-01 10:00:00.000 UTC',
  user: 'app',
  dbname: 'hotel',
  pid: 7,
  remote_host: '10.0.0.7',
  error_severity: 'FATAL',
  state_code: '28P01',
  message: 'password authentication failed for user "app"',
});
const JSONLOG =
  JSONLOG_FAILED_LOGIN +
  '\n' +
  JSON.stringify({
    timestamp: '2026-12-01 10:00:01.000 UTC',
    user: 'app',
    dbname: 'hotel',
    pid: 8,
    error_severity: 'LOG',
    message: 'duration: 1200.0 ms  statement: SELECT 1',
    detail: "parameters: $1 = 'x'",
  }) +
  '\n';
const BOUNCER =
  '2026-12-01 10:00:00.000 UTC [9] LOG C-0x55d1: hotel/app@10.0.0.7:5000 login attempt: db=hotel user=app tls=no\n' +
  '2026-12-01 10:00:01.000 UTC [9] WARNING C-0x55d2: hotel/app@10.0.0.9:5001 pooler error: password authentication failed\n' +
  '2026-12-01 10:00:03.000 UTC [9] LOG C-0x55d1: hotel/app@10.0.0.7:5000 closing because: client close request (age=3s)\n' +
  '2026-12-01 10:01:00.000 UTC [9] LOG stats: 12 xacts/s, 30 queries/s, in 1000 B/s, out 2000 B/s, xact 800 us, query 300 us, wait 5 us\n';
const SQL = [
  "SELECT * FROM rooms r JOIN guests g ON g.id = r.guest_id WHERE r.id = 1 AND g.note = 'it''s' ORDER BY r.created DESC LIMIT 5",
  "WITH d AS (DELETE FROM t WHERE a IN (1, 2, 3) RETURNING *) SELECT count(*) FROM d WHERE b > $1 AND c = E'x\\'y'",
  'UPDATE rooms SET note = $$x$$ WHERE id = ANY($1::int[]) AND (a, b) > (1, 2)',
  'SELECT a FROM (SELECT a FROM t WHERE lower(x) = $1 UNION ALL SELECT b FROM u) s WHERE a BETWEEN 1 AND 9',
];

export function logSeeds(target: LogFuzzTarget): string[] {
  switch (target) {
    case 'logPrefix':
      return [
        `${SEED_PREFIX}\n${STDERR}`,
        `%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h \n${STDERR.replace(/ app@hotel /g, ': [1-1] user=app,db=hotel,app=psql,client=10.0.0.7 ')}`,
      ];
    case 'logStderr':
      return [STDERR];
    case 'logCsv':
      return [CSV];
    case 'logJson':
      return [JSONLOG];
    case 'logBouncer':
      return [BOUNCER];
    case 'sqlShape':
      return SQL;
  }
}

/** Shapes that make a matcher backtrack, a reader hold a line, a walker recurse; `n` grows them. */
export function logAdversarial(target: LogFuzzTarget, pick: number, n: number): string {
  switch (target) {
    case 'logPrefix':
      return [
        `${'%u@'.repeat(n)}\n${'x@'.repeat(n * 5)}`,
        `${'%'.repeat(n * 5)}\n${'%'.repeat(n * 5)} LOG:  x`,
        `${SEED_PREFIX}\n2026-12-01 10:00:00.000 UTC [1] ${'a@'.repeat(n * 10)} LOG:  x`,
        `%m [%p] %q%a %h %u@%d \n${`2026-12-01 10:00:00.000 UTC [1] ${' '.repeat(n * 5)}@ LOG:  x\n`.repeat(20)}`,
      ][pick]!;
    case 'logStderr':
      return [
        `${L(1, 'LOG', 'duration: 1.0 ms  statement: SELECT 1')}${'\tand more\n'.repeat(n * 5)}`,
        `${L(1, 'LOG', `duration: 1.0 ms  statement: SELECT ${"'".repeat(n * 10)}`)}`,
        `${L(1, 'DETAIL', 'orphan')}`.repeat(n),
        `${'x'.repeat(n * 100)}\n${'\u00e9'.repeat(n * 20)}\r\n`,
      ][pick]!;
    case 'logCsv':
      return [
        `"${'""'.repeat(n * 10)}\n`.repeat(3),
        `2026-12-01 10:00:00.000 UTC,"${'\n'.repeat(n * 5)}`,
        `${','.repeat(n * 20)}\n`,
        `${CSV.slice(0, 60)}"${'x\n'.repeat(n * 5)}`,
      ][pick]!;
    case 'logJson':
      return [
        `${'{"a":'.repeat(n * 2)}1${'}'.repeat(n * 2)}\n`,
        `{"message":"${'\\u00e9'.repeat(n * 5)}"}\n`,
        `${'['.repeat(n * 5)}\n`,
        `{"timestamp":"2026-12-01 10:00:00 UTC","message":"${'x'.repeat(n * 50)}"}\n`,
      ][pick]!;
    case 'logBouncer':
      return [
        `2026-12-01 10:00:00.000 UTC [9] LOG C-0x1: ${'a/'.repeat(n * 5)}@10.0.0.7:5000 login attempt\n`,
        `2026-12-01 10:00:00.000 UTC [9] LOG stats: ${'1 xacts/s, '.repeat(n * 3)}\n`,
        `2026-12-01 10:00:00.000 UTC [9] WARNING C-0x1: x/y@1:2 pooler error: ${'"'.repeat(n * 10)}\n`.repeat(5),
        `2026-12-01 10:00:00.000 UTC [9] LOG C-0x1: x/y@1:2 closing because: ${'('.repeat(n * 10)} (age=${'9'.repeat(n)}\n`,
      ][pick]!;
    case 'sqlShape':
      return [
        `SELECT ${'('.repeat(n)}1${')'.repeat(n)}`,
        `SELECT * FROM t WHERE a IN (${Array.from({ length: n * 5 }, (_, i) => i).join(',')})`,
        `SELECT '${"''".repeat(n * 5)}' ${'$'.repeat(n)} $a$ ${'x'.repeat(n * 5)}`,
        `SELECT ${Array.from({ length: n }, (_, i) => `c${i}`).join(' + ')} FROM t WHERE ${'NOT '.repeat(n)}a = 1`,
      ][pick]!;
  }
}

let fingerprinter: Promise<Fingerprinter> | undefined;
let parser: Promise<PgParser> | undefined;

/** One source of bytes in memory; the reader takes it in chunks as it takes a file. */
function memorySource(text: string): LogSource {
  const b = Buffer.from(text, 'utf8');
  return {
    label: 'fuzz.log',
    gzip: false,
    stat: () => Promise.resolve({ size: b.length, mtimeMs: 0 }),
    read: (offset, length) => Promise.resolve(b.subarray(offset, offset + length)),
  };
}

const FORMAT: Partial<Record<LogFuzzTarget, LogFormat>> = { logStderr: 'stderr', logCsv: 'csvlog', logJson: 'jsonlog', logBouncer: 'pgbouncer' };

/** Hostile parse trees for statementShape: deep, wide, cyclic-looking, wrongly typed. */
function hostileTrees(n: number): unknown[] {
  let deep: unknown = { ColumnRef: { fields: [{ String: { sval: 'a' } }] } };
  for (let i = 0; i < n * 4; i++) deep = { A_Expr: { lexpr: deep, rexpr: { A_Const: { ival: { ival: i } } } } };
  return [
    { stmts: [{ stmt: { SelectStmt: { whereClause: deep, fromClause: [{ RangeVar: { relname: 't' } }] } } }] },
    { stmts: [{ stmt: { SelectStmt: { targetList: Array.from({ length: n * 200 }, () => ({ ResTarget: {} })) } } }] },
    { stmts: [{ stmt: { SelectStmt: { fromClause: 'x', whereClause: [null, 1, 'a', { ParamRef: { number: 'x' } }] } } }] },
    { stmts: 'no' },
  ];
}

/** Runs one input through the target; what it returns is kept until the heap is measured. */
export async function runLogTarget(target: LogFuzzTarget, text: string, adversarial: boolean): Promise<unknown> {
  if (target === 'logPrefix') {
    const nl = text.indexOf('\n');
    const m = compilePrefix(nl < 0 ? text : text.slice(0, nl));
    let hits = 0;
    for (const line of (nl < 0 ? '' : text.slice(nl + 1)).split('\n')) if (m.match(line)) hits++;
    return hits;
  }
  if (target === 'sqlShape') {
    const fp = await (fingerprinter ??= Fingerprinter.create());
    const pg = await (parser ??= loadPgParser());
    const key = shapeKey(text);
    const shape = fp.shape(text);
    let tree: unknown;
    if (text.length <= MAX_PARSE_CHARS)
      try {
        tree = pg.parseSync(text);
      } catch {
        // not SQL: the parser's own error, as the advisor gets it
      }
    const shapes = [tree, ...(adversarial ? hostileTrees(Math.min(2000, text.length / 10)) : [])].map((t) => statementShape(t));
    return { key: key.length, shape, shapes: shapes.length };
  }
  const analyzer = new LogAnalyzer(await (fingerprinter ??= Fingerprinter.create()));
  const { reads } = await readLogs([memorySource(text)], analyzer, { format: FORMAT[target]!, prefix: SEED_PREFIX });
  return analyzer.report(reads);
}
