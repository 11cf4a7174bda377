import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintPostgresqlConf, type PostgresqlConfLintOptions } from '../../../../src/core/lint/postgresqlConf';
import type { Finding } from '../../../../src/core/lint/finding';
import { CATALOG_MAJORS, didYouMean, lookup, majorsOf, versionNote } from '../../../../src/core/catalog/catalog';
import type { HardwareProfile } from '../../../../src/core/lint/hardware';

const HW: HardwareProfile = { ramBytes: 4 * 2 ** 30, cpus: 4, storage: 'ssd', workload: 'web', pgVersion: 16 };

function lint(text: string, opts: Partial<PostgresqlConfLintOptions> = {}): Finding[] {
  return lintPostgresqlConf(text, { file: 'postgresql.conf', major: 16, ...opts });
}
function codes(text: string, opts: Partial<PostgresqlConfLintOptions> = {}): string[] {
  return lint(text, opts)
    .filter((f) => f.severity !== 'info')
    .map((f) => f.code);
}
function only(text: string, code: string, opts: Partial<PostgresqlConfLintOptions> = {}): Finding {
  const hits = lint(text, opts).filter((f) => f.code === code);
  assert.equal(hits.length, 1, `one ${code} in ${JSON.stringify(text)}: ${JSON.stringify(lint(text, opts).map((f) => f.code))}`);
  return hits[0] as Finding;
}

test('catalogs: generated for 13-18, with version notes and did-you-mean', () => {
  for (const m of CATALOG_MAJORS) assert.ok(lookup('shared_buffers', m)?.unit === '8kB', `pg${m}`);
  assert.equal(lookup('SHARED_BUFFERS', 16)?.name, 'shared_buffers');
  assert.deepEqual(majorsOf('vacuum_defer_cleanup_age'), [13, 14, 15]);
  assert.equal(versionNote('vacuum_defer_cleanup_age', 16), 'removed in 16');
  assert.equal(versionNote('summarize_wal', 16), 'new in 17');
  assert.deepEqual(didYouMean('shared_bufers', 16), ['shared_buffers']);
  assert.ok(didYouMean('mem_work', 16).includes('work_mem'));
});

test('PGC010 unknown parameter, with a did-you-mean fix on the name only', () => {
  const f = only('shared_bufers = 1GB  # typo', 'PGC010');
  assert.match(f.message, /did you mean shared_buffers/);
  assert.deepEqual(f.fix?.range, { line: 1, column: 1, endLine: 1, endColumn: 14 });
  assert.equal(f.fix?.newText, 'shared_buffers');
  assert.deepEqual(codes('myext.anything = 42'), [], "custom prefix.name options are the server's to accept");
});

test('PGC011 a parameter of another major says removed in / new in', () => {
  assert.match(only('vacuum_defer_cleanup_age = 0', 'PGC011').message, /removed in 16/);
  assert.match(only('summarize_wal = on', 'PGC011', { major: 16 }).message, /new in 17/);
  assert.deepEqual(codes('summarize_wal = on', { major: 17 }), []);
  assert.deepEqual(codes("ssl_ecdh_curve = 'prime256v1'", { major: 18 }), [], 'an old name 18 still accepts');
});

test('PGC020 wrong type, PGC021 units, PGC022 range, PGC023 enum, PGC024 read-only', () => {
  assert.match(only('fsync = maybe', 'PGC020').message, /Boolean/);
  assert.match(only('max_connections = lots', 'PGC020').message, /integer/);
  assert.match(only('shared_buffers = 1gb', 'PGC021').message, /case-sensitive: did you mean GB/);
  assert.match(only("shared_buffers = '1 sec'", 'PGC021').message, /valid units are B, kB, MB, GB, TB/);
  assert.match(only('max_connections = 100MB', 'PGC021').message, /takes no unit/);
  assert.match(only('statement_timeout = 5kB', 'PGC021').message, /us, ms, s, min, h, d/);
  assert.match(only('shared_buffers = 64kB', 'PGC022').message, /outside the valid range 16 \.\. 1073741823/);
  assert.match(only('random_page_cost = -1', 'PGC022').message, /outside/);
  assert.match(only('wal_level = maximal', 'PGC023').message, /minimal, replica, logical/);
  assert.equal(only('block_size = 4096', 'PGC024').severity, 'error');
  const ok = [
    'fsync = TRUE',
    'fsync = of',
    'fsync = 0',
    'fsync = y',
    "shared_buffers = '1.5GB'",
    'shared_buffers = 0x4000',
    'statement_timeout = 1min',
    "statement_timeout = '250 ms'",
    'wal_level = HOT_STANDBY',
    'huge_pages = true',
    'vacuum_cost_delay = 2ms',
    'checkpoint_timeout = 1h',
  ];
  for (const line of ok) assert.deepEqual(codes(line), [], line);
  // The error sits on the value token.
  assert.deepEqual(only('fsync = maybe # x', 'PGC020').column, 9);
});

test('PGC001 unterminated string, PGC002 syntax, PGC005 abandon: errors of the file itself', () => {
  assert.equal(only("application_name = 'oops", 'PGC001').severity, 'error');
  assert.equal(only('work_mem = 4 MB', 'PGC002').severity, 'error');
  assert.equal(lint('!\n'.repeat(120)).filter((f) => f.code === 'PGC005').length, 1);
});

test('PGC003 include file missing, PGC004 too deep; include_if_exists is quiet', () => {
  const fs = {
    readFile: (p: string) => (p === '/etc/pg/extra.conf' ? 'work_mem = 8MB\nwork_mem = 16MB\n' : undefined),
    listDir: () => undefined,
    stat: () => undefined,
  };
  const findings = lintPostgresqlConf("include 'extra.conf'\ninclude 'nope.conf'\ninclude_if_exists 'also-nope.conf'\ninclude_dir 'conf.d'\n", {
    file: '/etc/pg/postgresql.conf',
    major: 16,
    fs,
  });
  assert.deepEqual(
    findings.filter((f) => f.severity !== 'info').map((f) => [f.file, f.line, f.code]),
    [
      ['/etc/pg/postgresql.conf', 2, 'PGC003'],
      ['/etc/pg/postgresql.conf', 4, 'PGC003'],
      ['/etc/pg/extra.conf', 1, 'PGC030'],
    ],
  );
});

test('PGC030 duplicate: the earlier line is flagged, naming the line that wins', () => {
  const f = only('work_mem = 4MB\nshared_buffers = 1GB\nwork_mem = 8MB\n', 'PGC030');
  assert.equal(f.line, 1);
  assert.match(f.message, /set again on line 3 \(8MB\); the last one wins/);
  assert.deepEqual(codes('Work_Mem = 4MB\nwork_mem = 4MB'), ['PGC030'], 'names compare case-insensitively');
});

test('PGC101 wal_level = minimal with archiving or WAL senders', () => {
  assert.match(only("wal_level = minimal\narchive_mode = on\nmax_wal_senders = 0\narchive_command = 'cp %p /a/%f'", 'PGC101').message, /archive_mode = on/);
  assert.match(only('wal_level = minimal', 'PGC101').message, /max_wal_senders = 10 \(default\)/);
  assert.deepEqual(codes('wal_level = minimal\nmax_wal_senders = 0'), []);
});

test('PGC102 min_wal_size above max_wal_size; PGC106 reserved >= max_connections; PGC107; PGC108; PGC109', () => {
  assert.equal(only('min_wal_size = 2GB\nmax_wal_size = 1GB', 'PGC102').line, 1);
  assert.equal(only('max_connections = 3', 'PGC106').severity, 'error');
  assert.match(only('archive_mode = on', 'PGC107').message, /piles up/);
  assert.deepEqual(codes("archive_mode = on\narchive_command = 'cp %p /arch/%f'"), []);
  assert.equal(only('max_worker_processes = 4\nmax_parallel_workers = 8', 'PGC108').line, 2);
  assert.equal(only('track_counts = off', 'PGC109').severity, 'warning');
  assert.equal(only('max_connections = 262140', 'PGC025').severity, 'error');
});

test('PGC103-105 need the RAM: shared_buffers > 40%, effective_cache_size > RAM, work_mem × connections', () => {
  assert.deepEqual(codes('shared_buffers = 2GB'), [], 'no profile, no RAM rules');
  assert.deepEqual(only('shared_buffers = 2GB # big', 'PGC103', { hardware: HW }).fix, {
    title: 'Set shared_buffers = 1GB',
    range: { line: 1, column: 18, endLine: 1, endColumn: 21 },
    newText: '1GB',
  });
  assert.ok(codes('effective_cache_size = 8GB', { hardware: HW }).includes('PGC104'));
  const ecs = lint('effective_cache_size = 8GB', { hardware: HW }).filter((f) => f.message.startsWith('effective_cache_size') && f.severity === 'warning');
  assert.deepEqual(
    ecs.map((f) => f.code),
    ['PGC104'],
    'said once, by PGC104',
  );
  assert.match(only('work_mem = 64MB\nmax_connections = 100', 'PGC105', { hardware: HW }).message, /6\.3 GB, beyond the 4 GB RAM/);
  assert.deepEqual(
    codes('work_mem = 32MB\nmax_connections = 100', { hardware: HW }).filter((c) => c === 'PGC105'),
    [],
  );
});

test('PGC301-304: what applying a changed setting costs, against the default or the running value', () => {
  assert.match(only('shared_buffers = 1GB', 'PGC301').message, /differs from the default 128MB .*restart/);
  assert.match(only('checkpoint_timeout = 15min', 'PGC302').message, /reload/);
  assert.match(only('log_connections = on', 'PGC303').message, /new sessions/);
  assert.match(only('work_mem = 32MB', 'PGC304').message, /per session/);
  assert.equal(lint('shared_buffers = 128MB').length, 0, 'the default costs nothing');
  assert.equal(lint('shared_buffers = 1GB', { runningValues: { shared_buffers: '131072' } }).length, 0, 'already running');
  assert.match(only('shared_buffers = 1GB', 'PGC301', { runningValues: { shared_buffers: '16384' } }).message, /running value 128MB/);
});

test('security: PGC401 listen * with hba open to the world, PGC402 md5, PGC403 ssl off, PGC404/405 logging off', () => {
  assert.deepEqual(codes("listen_addresses = '*'\nssl = on"), [], 'no pg_hba lines given: nothing to say');
  const f = only("listen_addresses = '*'\nssl = on", 'PGC401', { hbaOpenToWorld: [{ file: 'pg_hba.conf', line: 9, text: 'host all all 0.0.0.0/0 md5' }] });
  assert.match(f.message, /pg_hba\.conf:9 \(host all all 0\.0\.0\.0\/0 md5\)/);
  assert.equal(only('password_encryption = md5', 'PGC402').severity, 'warning');
  assert.equal(only("listen_addresses = '10.0.0.5'", 'PGC403').line, 1);
  assert.equal(only("listen_addresses = '10.0.0.5'\nssl = off", 'PGC403').line, 2);
  assert.deepEqual(codes("listen_addresses = 'localhost, 127.0.0.1'"), []);
  assert.equal(only('log_connections = off', 'PGC404').code, 'PGC404');
  assert.equal(only('log_disconnections = false', 'PGC405').code, 'PGC405');
  assert.equal(only("log_connections = ''", 'PGC404', { major: 18 }).code, 'PGC404');
  assert.deepEqual(codes("log_connections = 'receipt,authentication'", { major: 18 }), []);
});

test("each major's own postgresql.conf.sample: no errors and no warnings without a profile", () => {
  for (const m of CATALOG_MAJORS) {
    const path = join(__dirname, '..', '..', '..', '..', 'node_modules', `pg-bin-${m}`, 'native', 'share', 'postgresql', 'postgresql.conf.sample');
    const findings = lintPostgresqlConf(readFileSync(path, 'utf8'), { file: path, major: m });
    assert.deepEqual(
      findings.map((f) => `${f.line}: ${f.code} ${f.message}`),
      [],
      `pg${m}`,
    );
  }
});

test('a sample with every commented setting turned on is still clean (the values are the defaults)', () => {
  for (const m of CATALOG_MAJORS) {
    const path = join(__dirname, '..', '..', '..', '..', 'node_modules', `pg-bin-${m}`, 'native', 'share', 'postgresql', 'postgresql.conf.sample');
    const text = readFileSync(path, 'utf8').replace(/^#([a-z_]+ = )/gm, '$1');
    const bad = lintPostgresqlConf(text, { file: path, major: m }).filter((f) => f.severity === 'error');
    // Except one: the sample's `#lc_messages = ''` is refused by 16+ at start-up (postgres -C says
    // "invalid value for parameter", in any environment; initdb writes a locale there instead).
    const lcMessages = text.split('\n').findIndex((l) => l.startsWith("lc_messages = ''")) + 1;
    assert.deepEqual(
      bad.map((f) => `${f.line}: ${f.code}${f.code === 'PGC026' ? '' : ` ${f.message}`}`),
      m >= 16 ? [`${lcMessages}: PGC026`] : [],
      `pg${m}`,
    );
  }
});

/** The codes of the check-hook rules (other rules, such as the change cost, also speak of these lines). */
function hookCodes(text: string, opts: Partial<PostgresqlConfLintOptions> = {}): string[] {
  return lint(text, opts)
    .map((f) => f.code)
    .filter((c) => /^PGC02[678]$/.test(c));
}

test('PGC026: a time zone no server has, an empty lc_messages, a timezone_abbreviations file that cannot load', () => {
  assert.match(only("TimeZone = 'unknown'", 'PGC026').message, /tzdata nor a POSIX zone/);
  assert.match(only("log_timezone = 'Europe/Pariss'", 'PGC026').message, /did you mean Europe\/Paris\?/);
  assert.match(only("lc_messages = ''", 'PGC026', { major: 16 }).message, /refused from PostgreSQL 16/);
  assert.equal(only("lc_messages = ''", 'PGC028', { major: 15 }).severity, 'info');
  assert.equal(only("timezone_abbreviations = 'Africa.txt'", 'PGC026').severity, 'error');
  for (const ok of [
    "TimeZone = 'europe/paris'",
    "TimeZone = '-03:00'",
    "log_timezone = 'UTC+3'",
    "lc_time = ''",
    "lc_messages = 'C'",
    "default_text_search_config = 'ENGLISH'",
  ]) {
    assert.deepEqual(hookCodes(ok), [], ok);
  }
});

test('PGC027: names a server ships, by major; others only if the person created them', () => {
  const f = only("default_text_search_config = 'pg_catalog.estonian'", 'PGC027', { major: 17 });
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /CREATE TEXT SEARCH CONFIGURATION/);
  assert.deepEqual(hookCodes("default_text_search_config = 'pg_catalog.estonian'", { major: 18 }), []);
  assert.match(only("default_table_access_method = 'HEAP'", 'PGC027').message, /case-sensitive: did you mean heap\?/);
  assert.match(only("timezone_abbreviations = 'default'", 'PGC027').message, /did you mean Default\?/);
  only("default_tablespace = 'fast_ssd'", 'PGC027');
});

test('PGC028: a locale pgdba cannot know is left to the server machine, as info', () => {
  const f = only("lc_monetary = 'en_US.UTF-8'", 'PGC028');
  assert.equal(f.severity, 'info');
  assert.match(f.message, /locale -a/);
  assert.deepEqual(hookCodes("lc_numeric = 'POSIX'"), []);
});

test('PGC026/027/028: list-valued hooks (search_path, log_destination, createrole_self_grant, restrict_nonsystem_relation_kind, debug_io_direct, wal_consistency_checking) and primary_slot_name', () => {
  assert.match(only("search_path = 'public,'", 'PGC026').message, /not a valid list.*"\$user", public/);
  assert.match(only("search_path = 'my schema'", 'PGC026').message, /two names without a comma/);
  assert.match(only("log_destination = 'stderr, file'", 'PGC026').message, /does not know "file".*stderr, csvlog, jsonlog, syslog/);
  assert.match(only("log_destination = 'jsonlog'", 'PGC026', { major: 14 }).message, /new in PostgreSQL 15/);
  assert.equal(only("log_destination = 'eventlog'", 'PGC028').severity, 'info');
  assert.match(only("createrole_self_grant = 'admin'", 'PGC026').message, /set, inherit, or '' for none/);
  assert.deepEqual(hookCodes("createrole_self_grant = 'admin'", { major: 15 }), [], 'not a parameter of 15: PGC011 speaks');
  only("restrict_nonsystem_relation_kind = 'foreign_table'", 'PGC026', { major: 13 });
  assert.match(only("debug_io_direct = 'all'", 'PGC026').message, /data, wal, wal_init/);
  assert.equal(only("wal_consistency_checking = 'xlog'", 'PGC026', { major: 14 }).severity, 'error');
  assert.match(only("wal_consistency_checking = 'bogus'", 'PGC027', { major: 15 }).message, /shared_preload_libraries/);
  assert.match(only("primary_slot_name = 'Standby-1'", 'PGC026').message, /lower-case letters.*e\.g\. standby_1/);
  assert.match(only(`primary_slot_name = '${'s'.repeat(64)}'`, 'PGC026').message, /longer than 63/);
  for (const ok of [
    'search_path = \'"$user", public\'',
    "search_path = ''",
    "log_destination = 'STDERR, csvlog'",
    "log_destination = ''",
    "createrole_self_grant = 'SET, Inherit'",
    'restrict_nonsystem_relation_kind = \'view, "foreign-table"\'',
    "debug_io_direct = 'data,wal'",
    "wal_consistency_checking = 'all, Heap2'",
    "primary_slot_name = ''",
    "primary_slot_name = 'standby_1'",
  ]) {
    assert.deepEqual(hookCodes(ok), [], ok);
  }
});

test('PGC026: DateStyle takes one output style and one input order, in the words the server knows', () => {
  assert.match(only("DateStyle = 'ISO, SQL'", 'PGC026').message, /names two styles.*'ISO, MDY'/);
  assert.match(only("DateStyle = 'DMY, MDY'", 'PGC026').message, /names two orders/);
  assert.match(only("DateStyle = 'Europe, us'", 'PGC026').message, /names two orders/);
  assert.match(only("DateStyle = 'XSQL'", 'PGC026').message, /does not know "xsql"/);
  only("DateStyle = 'ISO MDY'", 'PGC026');
  for (const ok of [
    "DateStyle = 'iso, dmy'",
    "DateStyle = 'German, MDY'",
    "DateStyle = 'Postgres, European'",
    "DateStyle = 'default, SQL'",
    "DateStyle = 'NonEuropean'",
  ]) {
    assert.deepEqual(hookCodes(ok), [], ok);
  }
});

test('PGC026: recovery_target, _lsn, _xid, _timeline and _name as their hooks read them', () => {
  assert.match(only("recovery_target = 'latest'", 'PGC026').message, /only 'immediate'.*recovery_target_time/);
  assert.match(only("recovery_target_lsn = '1ffffffff/0'", 'PGC026').message, /1–8 digits.*16\/B374D848/);
  assert.match(only("recovery_target_xid = '18446744073709551616'", 'PGC026').message, /beyond 2\^64-1/);
  only("recovery_target_timeline = '0x1ffffffffffffffff'", 'PGC026');
  only(`recovery_target_xid = '${'9'.repeat(100_000)}'`, 'PGC026');
  assert.match(only(`recovery_target_name = '${'é'.repeat(32)}'`, 'PGC026').message, /64 bytes; .* at most 63/);
  for (const ok of [
    "recovery_target = 'immediate'",
    "recovery_target_lsn = '16/B374D848'",
    "recovery_target_xid = '18446744073709551615'",
    // the hooks read the number up to its first other character, as strtoull does
    "recovery_target_xid = '12abc'",
    "recovery_target_timeline = 'latest'",
    `recovery_target_name = '${'é'.repeat(31)}'`,
  ]) {
    assert.deepEqual(hookCodes(ok), [], ok);
  }
});

test("PGC026: recovery_target_time as the timestamp parser reads it, and nothing where the server's settings decide", () => {
  assert.match(only("recovery_target_time = 'now'", 'PGC026').message, /read when the server starts.*'2024-05-01 12:00:00\+00'/);
  only("recovery_target_time = 'epoch'", 'PGC026');
  only("recovery_target_time = 'bogus'", 'PGC026');
  assert.match(only("recovery_target_time = '2023-02-29 12:00'", 'PGC026').message, /day 29, which 2023-02 does not have/);
  only("recovery_target_time = '2024-13-01'", 'PGC026');
  only("recovery_target_time = '0000-01-01'", 'PGC026');
  only("recovery_target_time = '2024-01-01 24:00:01'", 'PGC026');
  only("recovery_target_time = '2024-01-01 12:00+16'", 'PGC026');
  for (const ok of [
    "recovery_target_time = ''",
    "recovery_target_time = '2024-02-29 00:00'",
    "recovery_target_time = '2024-01-01T12:00:00Z'",
    "recovery_target_time = '2024-01-01 24:00:00'",
    "recovery_target_time = '2024-01-01 23:59:60'",
    "recovery_target_time = '2024-01-01 12:00:00 -02:30'",
    // the server's DateStyle, abbreviations and zone names decide these: pgdba says nothing
    "recovery_target_time = 'NOW'",
    "recovery_target_time = '01/02/2024'",
    "recovery_target_time = '2024-01-01 12:00 EST'",
    "recovery_target_time = '2024-01-01 12:00 bogus'",
    `recovery_target_time = '${'9'.repeat(100_000)}'`,
  ]) {
    assert.deepEqual(hookCodes(ok), [], ok.slice(0, 80));
  }
});

test('PGC026/028: client_encoding, its names and aliases as pg_char_to_encoding reads them', () => {
  assert.match(only("client_encoding = 'utf9'", 'PGC026').message, /not an encoding PostgreSQL 16 knows.*did you mean UTF8\?/);
  only("client_encoding = ''", 'PGC026');
  only("client_encoding = 'auto'", 'PGC026');
  only("client_encoding = 'cp1252'", 'PGC026');
  only(`client_encoding = '${'-'.repeat(60)}utf8'`, 'PGC026');
  const mule = only("client_encoding = 'MULE_INTERNAL'", 'PGC028');
  assert.equal(mule.severity, 'info');
  assert.match(mule.message, /no conversion from UTF8/);
  for (const ok of ['UTF8', 'utf-8', 'Unicode', ' u.t.f_8 ', 'LATIN1', 'ISO-8859-1', 'win1252', 'Windows-1252', 'SJIS', 'mskanji', 'SQL_ASCII', 'koi8']) {
    assert.deepEqual(hookCodes(`client_encoding = '${ok}'`), [], ok);
  }
});

test('PGC026: synchronous_standby_names as its grammar reads it, and at least one standby', () => {
  assert.match(only("synchronous_standby_names = 'standby-1'", 'PGC026').message, /not valid syntax.*'ANY 1 \(s1, s2\)'/);
  only("synchronous_standby_names = 'ANY (s1, s2)'", 'PGC026');
  only("synchronous_standby_names = 'any'", 'PGC026');
  assert.match(only("synchronous_standby_names = 'FIRST 0 (s1)'", 'PGC026').message, /0 synchronous standbys/);
  for (const ok of [
    "synchronous_standby_names = ''",
    "synchronous_standby_names = '*'",
    'synchronous_standby_names = \'first 2 (s1, "my standby", 3)\'',
    "synchronous_standby_names = 'café, a$b'",
  ]) {
    assert.deepEqual(hookCodes(ok), [], ok);
  }
  only(`synchronous_standby_names = '${'s'.repeat(5000)} x'`, 'PGC026');
  assert.deepEqual(hookCodes(`synchronous_standby_names = '${'s,'.repeat(50_000)}s'`), []);
});

test('300k findings in one file are returned, not a stack overflow (issue #12 item 12: push(...list))', () => {
  const findings = lintPostgresqlConf('no_such_parameter = 1\n'.repeat(300_000), { file: 'postgresql.conf', major: 16 });
  assert.equal(findings.filter((f) => f.code === 'PGC010').length, 300_000);
});
