// The health report's pure parts: levels against the thresholds (defaults and overrides), the
// backup findings over listings of any age, plan reading, and the Markdown / JSON rendering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveThresholds } from '../../../../src/core/stats/thresholds';
import {
  combine,
  renderJson,
  renderMarkdown,
  renderMultiMarkdown,
  sortFindings,
  summarize,
  thresholdLevel,
  worstLevel,
  backupFindings,
  type Finding,
  type HealthReport,
} from '../../../../src/core/health';
import { explainPrefix, hasParameters, isApplicationQuery, missingIndexes } from '../../../../src/core/health/plans';
import { confSize, settingMb } from '../../../../src/core/health/names';
import { parsePlan } from '../../../../src/core/explain/parsePlan';
import type { LocalBackup } from '../../../../src/core/backup/listing';
import { parseChecks, splitUrls } from '../../../../src/cli/health';

const f = (level: Finding['level'], check: Finding['check'] = 'cache-hit', subject = 'db'): Finding => ({
  check,
  schedule: 'daily',
  level,
  subject,
  observed: 'x',
  why: 'y',
});

test("levels against the seed's thresholds: strict limits, low-is-bad for the cache hit ratio", () => {
  const { thresholds: t } = resolveThresholds();
  assert.deepEqual(thresholdLevel('cacheHitRatioPct', 95, t.cacheHitRatioPct), { level: 'ok' });
  assert.deepEqual(thresholdLevel('cacheHitRatioPct', 94.99, t.cacheHitRatioPct), { level: 'warning', threshold: 95 });
  assert.deepEqual(thresholdLevel('cacheHitRatioPct', 89.9, t.cacheHitRatioPct), { level: 'critical', threshold: 90 });
  assert.deepEqual(thresholdLevel('avgQueryTimeMs', 100, t.avgQueryTimeMs), { level: 'ok' });
  assert.deepEqual(thresholdLevel('avgQueryTimeMs', 100.1, t.avgQueryTimeMs), { level: 'warning', threshold: 100 });
  assert.deepEqual(thresholdLevel('avgQueryTimeMs', 501, t.avgQueryTimeMs), { level: 'critical', threshold: 500 });
  assert.deepEqual(thresholdLevel('connectionsPct', 96, t.connectionsPct), { level: 'critical', threshold: 95 });
  assert.deepEqual(thresholdLevel('tableBloatPct', 25, t.tableBloatPct), { level: 'warning', threshold: 20 });
  // The settings' overrides are the same ones the tree uses.
  const { thresholds: o } = resolveThresholds({ connectionsPct: { warn: 50, crit: 60 } });
  assert.deepEqual(thresholdLevel('connectionsPct', 55, o.connectionsPct), { level: 'warning', threshold: 50 });
});

test('summary: worst level, counts, the top finding; order critical first, stable within a level', () => {
  const list = [f('ok', 'connections'), f('warning', 'bloat', 'a'), f('critical', 'cache-hit', 'cold'), f('info'), f('warning', 'bloat', 'b')];
  assert.equal(worstLevel([]), 'ok');
  assert.equal(worstLevel(list.map((x) => x.level)), 'critical');
  const s = summarize(list);
  assert.deepEqual(s.counts, { critical: 1, warning: 2, info: 1, ok: 1 });
  assert.deepEqual(s.top, { check: 'cache-hit', level: 'critical', subject: 'cold', observed: 'x' });
  assert.deepEqual(
    sortFindings(list).map((x) => `${x.level}:${x.subject}`),
    ['critical:cold', 'warning:a', 'warning:b', 'info:db', 'ok:db'],
  );
  assert.equal(summarize([]).worst, 'ok');
});

const now = new Date('2026-03-10T12:00:00Z');
function backup(hoursAgo: number, size: number, extra: Partial<LocalBackup> = {}): LocalBackup {
  const at = new Date(now.getTime() - hoursAgo * 3_600_000);
  return {
    path: `/b/hotel-${hoursAgo}.dump`,
    file: `hotel-${hoursAgo}.dump`,
    database: 'hotel',
    takenAt: at.toISOString(),
    sizeBytes: size,
    outer: 'none',
    origin: 'pgdba',
    verification: 'unverified',
    manifestState: 'ok',
    ...extra,
  };
}

test('backups: none is critical, a missed night a warning, two critical; verification and size trend', () => {
  const none = backupFindings('/b', 'hotel', [], now);
  assert.equal(none.length, 1);
  assert.equal(none[0]?.level, 'critical');
  assert.match(none[0]?.fix?.text ?? '', /^pgdba backup --db hotel --dir \/b/);

  const fresh = backupFindings(
    '/b',
    'hotel',
    [
      backup(10, 1000, {
        verification: 'verified',
        manifest: { pgdbaManifest: 1, file: 'x', database: 'hotel', verification: { kind: 'quick', ok: true, at: 'then', durationMs: 5 } },
      }),
      backup(34, 990),
      backup(58, 1010),
    ],
    now,
  );
  assert.deepEqual(
    fresh.map((x) => x.level),
    ['ok', 'info', 'ok'],
  );
  assert.match(fresh[1]?.observed ?? '', /\+0% against the median of the 2 before/);

  assert.equal(backupFindings('/b', 'hotel', [backup(27, 1000)], now)[0]?.level, 'warning');
  assert.equal(backupFindings('/b', 'hotel', [backup(51, 1000)], now)[0]?.level, 'critical');
  const failed = backupFindings('/b', 'hotel', [backup(3, 1000, { verification: 'failed', verificationReason: 'pg_restore could not read the TOC' })], now);
  assert.equal(failed[2]?.level, 'critical');
  assert.match(failed[2]?.why ?? '', /pg_restore could not read the TOC/);
  const jump = backupFindings('/b', 'hotel', [backup(3, 400), backup(27, 1000), backup(51, 1000)], now);
  assert.equal(jump[1]?.level, 'warning', 'a backup 60% smaller than usual');
  assert.match(jump[1]?.why ?? '', /much smaller/);
});

test('plans: which statements are explained, with which options; a filter on a big table gives CREATE INDEX', () => {
  assert.equal(explainPrefix(16, true), 'EXPLAIN (GENERIC_PLAN, FORMAT JSON) ');
  assert.equal(explainPrefix(15, false), 'EXPLAIN (FORMAT JSON) ');
  assert.equal(hasParameters('SELECT * FROM t WHERE a = $1'), true);
  assert.equal(hasParameters("SELECT '$x'"), false);
  assert.equal(isApplicationQuery('SELECT * FROM guests WHERE email = $1'), true);
  assert.equal(isApplicationQuery('UPDATE t SET a = $1'), true);
  assert.equal(isApplicationQuery('CREATE DATABASE x'), false);
  assert.equal(isApplicationQuery('SELECT name, setting FROM pg_settings'), false);
  const plan = parsePlan([
    {
      Plan: {
        'Node Type': 'Seq Scan',
        'Parallel Aware': false,
        'Relation Name': 'guests',
        Alias: 'g',
        'Startup Cost': 0,
        'Total Cost': 993,
        'Plan Rows': 1,
        'Plan Width': 30,
        Filter: '(email = $1)',
      },
    },
  ]);
  const table = { schema: 'public', table: 'guests', seqScans: 120, seqTuplesRead: 6e6, idxScans: null, liveTuples: 50_000, considerIndex: true };
  const found = missingIndexes(plan, [table]);
  assert.deepEqual(
    found.map((f) => [f.table.table, f.node.filter]),
    [['guests', '(email = $1)']],
    'the scan and its table: the index itself is the advisor’s',
  );
  assert.deepEqual(missingIndexes(plan, [{ ...table, liveTuples: 500 }]), [], 'a small table is fine to scan');
  const wide = parsePlan([
    {
      Plan: {
        'Node Type': 'Seq Scan',
        'Relation Name': 'guests',
        Alias: 'guests',
        'Total Cost': 993,
        'Plan Rows': 40_000,
        'Plan Width': 30,
        Filter: '(id > $1)',
      },
    },
  ]);
  assert.deepEqual(missingIndexes(wide, [table]), [], 'a filter keeping most rows needs no index');
  const filtered = (filter: string) =>
    missingIndexes(
      parsePlan([
        { Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'guests', Alias: 'g', 'Total Cost': 993, 'Plan Rows': 1, 'Plan Width': 30, Filter: filter } },
      ]),
      [table],
    ).map((f) => f.table.table);
  assert.deepEqual(filtered("((status <> 'gone'::text) AND (email = $1))"), ['guests'], 'no index serves <>, one serves the =');
  assert.deepEqual(filtered("(status <> 'gone'::text)"), [], 'nothing an index serves: no index offered');
  assert.deepEqual(filtered("(email ~~ 'ann%'::text)"), ['guests']);
});

test('settings: sizes from pg_settings units, and back to postgresql.conf values', () => {
  assert.equal(settingMb({ setting: '16384', unit: '8kB' }), 128);
  assert.equal(settingMb({ setting: '4096', unit: 'kB' }), 4);
  assert.equal(settingMb({ setting: '1024', unit: 'MB' }), 1024);
  assert.equal(settingMb({ setting: 'on', unit: null }), undefined);
  assert.equal(confSize(1024), '1GB');
  assert.equal(confSize(1536), '1536MB');
});

const report = (name: string, findings: Finding[]): HealthReport => ({
  server: { name, target: `postgres@${name}:5432/hotel`, version: '16.4', versionNum: 160004 },
  generatedAt: '2026-03-10T12:00:00.000Z',
  schedules: ['daily', 'weekly', 'monthly'],
  findings,
  summary: summarize(findings),
});

test('Markdown: summary line, table with escaped cells, a fix fenced so it cannot break out', () => {
  const r = report('hotel-01', [
    f('ok', 'connections', 'server'),
    {
      check: 'slow-queries',
      schedule: 'daily',
      level: 'critical',
      subject: 'SELECT a | b FROM t',
      observed: 'mean 612 ms',
      why: 'slow\nvery',
      fix: { kind: 'sql', text: 'SELECT ```x```;' },
    },
    { check: 'growth', schedule: 'weekly', level: 'info', subject: 'server', observed: '1 GB', why: 'sizes today' },
  ]);
  const md = renderMarkdown(r);
  assert.match(
    md,
    /^# Health report: hotel-01\n\npostgres@hotel-01:5432\/hotel · PostgreSQL 16\.4 · 2026-03-10T12:00:00\.000Z · checks: daily, weekly, monthly\n/,
  );
  assert.match(md, /\*\*CRITICAL\*\* — 1 critical, 0 warning, 1 info, 1 ok/);
  assert.match(md, /\| CRITICAL \| daily \| Slow queries \| SELECT a \\\| b FROM t \| mean 612 ms \|/);
  assert.match(
    md,
    /### CRITICAL · Slow queries · SELECT a \| b FROM t\n\n- \*\*Observed:\*\* mean 612 ms\n- \*\*Why:\*\* slow very\n- \*\*Fix\*\* \(sql\):\n\n````sql\nSELECT ```x```;\n````/,
  );
  assert.match(md, /## Notes\n\n- \*\*Database growth · server:\*\* sizes today/);
  assert.ok(md.indexOf('CRITICAL |') < md.indexOf('ok |'), 'critical rows first');
  assert.deepEqual(JSON.parse(renderJson(r)), r);
  // A name from the server with C1 and bidi controls: JSON that is safe to cat, the same value parsed.
  const hostile = { ...r, findings: r.findings.map((f) => ({ ...f, subject: `${f.subject}\u009b2J\u202e` })) };
  assert.doesNotMatch(renderJson(hostile), /[\u007f-\u009f\u202e]/);
  assert.deepEqual(JSON.parse(renderJson(hostile)), hostile);
});

test('many servers: one summary row each, worst first, an unreachable one with its reason', () => {
  const m = combine(
    [
      { ok: true, report: report('hotel-02', [f('warning', 'bloat', 'public.bookings')]) },
      {
        ok: false,
        server: { name: 'hotel-03', target: 'postgres@hotel-03:5432/hotel' },
        error: 'No PostgreSQL server answers at hotel-03:5432: is it running, and is the port right?',
      },
      { ok: true, report: report('hotel-01', [f('ok', 'connections', 'server')]) },
    ],
    now,
  );
  assert.equal(m.worst, 'critical');
  assert.equal(m.critical, 1, 'an unreachable server counts as critical');
  const md = renderMultiMarkdown(m);
  assert.match(md, /^# Health report: 3 servers\n/);
  const rows = md.split('\n').filter((l) => /^\| hotel-/.test(l));
  assert.deepEqual(
    rows.map((l) => l.split(' | ')[0]),
    ['| hotel-03', '| hotel-02', '| hotel-01'],
  );
  assert.match(rows[0]!, /UNREACHABLE \|.*No PostgreSQL server answers at hotel-03:5432/);
  assert.match(rows[1]!, /WARNING \| 0 \| 1 \| 0 \| 0 \| Table bloat · public.bookings: x \|/);
  assert.match(md, /## Health report: hotel-02\n/);
  assert.match(md, /## Health report: hotel-03\n\npostgres@hotel-03:5432\/hotel · \*\*UNREACHABLE\*\*/);
  const one = combine([{ ok: true, report: report('solo', [f('ok')]) }], now);
  assert.match(renderMultiMarkdown(one), /^# Health report: solo\n/, 'one server: its report alone');
});

test('CLI arguments: repeated --url, --checks', () => {
  assert.deepEqual(splitUrls(['--url', 'postgres://a', '--format', 'json', '--url=postgres://b']), {
    urls: ['postgres://a', 'postgres://b'],
    rest: ['--format', 'json'],
  });
  assert.throws(() => splitUrls(['--url']), /--url needs a value/);
  assert.deepEqual(parseChecks(undefined), ['daily', 'weekly', 'monthly']);
  assert.deepEqual(parseChecks('weekly'), ['weekly']);
  assert.deepEqual(parseChecks('daily,monthly'), ['daily', 'monthly']);
  assert.throws(() => parseChecks('hourly'), /--checks must be daily, weekly, monthly or all/);
});
