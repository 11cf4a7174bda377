// Generated postgresql.conf lines for the "truth from the server" test: for every bool, integer,
// real and enum parameter of a catalog, valid and invalid values (units right and wrong, case,
// bounds and one past them, octal, hex, exponents, junk), plus unknown names and raw lines that
// probe the lexer. Deterministic: the same catalog gives the same cases.
import { parameters, type CatalogParam } from '../../src/core/catalog/catalog';
import { unitFamily } from '../../src/core/conf/confValue';
import { serverNames } from '../../src/core/catalog/serverNames';

export interface ValueCase {
  name: string;
  /** The value as it goes between quotes in the file. */
  value: string;
  /** Why pgdba leaves this value to the server (it must say nothing; the server may refuse it). */
  undecided?: string;
}

function q(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
export function caseLine(c: ValueCase): string {
  return `${c.name} = ${q(c.value)}`;
}

function numericValues(p: CatalogParam, i: number): string[] {
  const min = Number(p.min);
  const max = Number(p.max);
  const vals = [p.min ?? '0', p.max ?? '0', 'abc', '', '1.5', '1e2'];
  if (p.type === 'integer') {
    vals.push(String(min - 1), String(max + 1), '0x10', '010', '08', ' 7 ', '+3');
  } else {
    vals.push(String(min - 0.5), 'inf', 'nan', '0x1p2', '1e400');
  }
  const fam = unitFamily(p.unit);
  if (fam === 'memory') vals.push('1GB', '1gb', '64 kB', '3XB', '1.5MB', '1s', '100B', '2TB', '1kBx');
  else if (fam === 'time') vals.push('1min', '1MIN', '250 ms', '1.5s', '10us', '1kB', '1d', '7x');
  else vals.push('5MB', '3s');
  // vary the set a little per parameter so that the total stays in the hundreds
  return vals.filter((_, k) => (k + i) % 2 === 0 || k < 4);
}

export function valueCases(major: number): ValueCase[] {
  const out: ValueCase[] = [];
  parameters(major).forEach((p, i) => {
    if (p.type === 'string') return;
    let values: string[];
    if (p.type === 'bool') values = ['on', 'OFF', 'tr', 'o', 'yes', 'n', '1', '2', 'maybe'].filter((_, k) => (k + i) % 3 === 0);
    else if (p.type === 'enum') {
      const e = p.enum ?? [];
      values = [e[0] ?? 'x', (e[e.length - 1] ?? 'x').toUpperCase(), ...(p.enumHidden ?? []).slice(0, 1), 'bogus', `${e[0] ?? ''}x`];
    } else values = numericValues(p, i);
    for (const value of values) out.push({ name: p.name, value });
  });
  for (const name of ['shared_bufers', 'work_memory', 'not_a_parameter', 'checkpoint_segments', 'Shared_Buffers', 'WORK_MEM', 'myext.setting']) {
    out.push({ name, value: '1' });
  }
  return out;
}

/** Zone specs beyond the tzdata names: POSIX forms, offsets, numbers, near misses. */
const ZONE_SPECS = [
  'unknown',
  'Europe/Nowhere',
  'EST5EDT',
  'est5edt',
  'UTC+3',
  'utc-3:30',
  'UTC+3:30:15',
  '-03:00',
  '+03:00',
  '3',
  '-3.5',
  '1e2',
  'XYZ+3',
  'ABC3DEF',
  'XYZ+3ABC+4',
  'EST5EDT,M3.2.0,M11.1.0',
  'EST5EDT,M3.2.0',
  'EST5EDT,M13.1.0,M11.1.0',
  'EST5EDT,J60/2,300',
  'UTC+167',
  'UTC+168',
  'UTC+3:60',
  '<+03>-3',
  '<+03',
  'Z',
  'zulu',
  'localtime',
  'posixrules',
  'Factory',
  '',
  ' UTC',
  'UTC ',
  ':UTC',
  'posix/Europe/Paris',
  'Europe',
  'America/Foo+3',
  "interval '1 hour'",
  "interval 'x'",
  "interval '1 day'",
  "interval '1 month'",
  "interval '-05:30'",
  "INTERVAL '1 hour 30 minutes'",
  "interval '2h'",
  'interval 1',
  "interval '90 min ago'",
  'UTC+3:30:00',
  'UTC+3:00:01',
  '::UTC',
  'Etc/GMT+5',
  'etc/gmt-14',
  'US/Pacific',
  'Asia/Calcutta',
  'Europe/Pariss',
  'x'.repeat(256),
];

/**
 * String parameters whose check hooks look names up (zones, abbreviation sets, text search
 * configurations, access methods, tablespaces, locales): the server's own names, in other cases,
 * and near misses. Every 20th tzdata zone, in its own case, lower and upper case in turn. Then the
 * list-valued hooks (listHookCases).
 */
export function hookCases(major: number): ValueCase[] {
  const out: ValueCase[] = [];
  const zones = [...serverNames('zones', major).values()].filter((_, i) => i % 20 === 0);
  zones.forEach((z, i) => out.push({ name: i % 2 ? 'TimeZone' : 'log_timezone', value: [z, z.toLowerCase(), z.toUpperCase()][i % 3] ?? z }));
  for (const v of ZONE_SPECS) out.push({ name: 'TimeZone', value: v }, { name: 'log_timezone', value: v });
  for (const v of ['Default', 'default', 'India', 'Australia', 'bogus', '', 'Africa.txt', 'Default ']) out.push({ name: 'timezone_abbreviations', value: v });
  const configs = [...serverNames('textSearchConfigs', major).values()];
  for (const v of [
    ...configs,
    'pg_catalog.english',
    'ENGLISH',
    '"English"',
    ' english ',
    'pg_catalog . simple',
    'pg_catalog.bogus',
    'bogus',
    'public.english',
    'a.b.c',
    '',
    '"x',
    'estonian',
  ])
    out.push({ name: 'default_text_search_config', value: v });
  for (const v of ['heap', 'HEAP', 'bogus', '']) out.push({ name: 'default_table_access_method', value: v });
  for (const v of ['pg_default', 'pg_global', 'PG_DEFAULT', 'bogus', '']) out.push({ name: 'default_tablespace', value: v });
  for (const name of ['lc_messages', 'lc_monetary', 'lc_numeric', 'lc_time'])
    for (const v of ['', 'C', 'POSIX', 'c', 'posix', 'C.UTF-8', 'en_US.UTF-8', 'bogus']) out.push({ name, value: v });
  out.push(...listHookCases(major), ...encodingCases(major), ...recoveryTimeCases());
  return out;
}

/** Every encoding name the major knows, spelt as people do (case, dashes, underscores), then near misses. */
function encodingCases(major: number): ValueCase[] {
  const spell = [
    (n: string) => n,
    (n: string) => n.toUpperCase(),
    (n: string) => n.replace(/(\d+)/, '-$1'),
    (n: string) => n.replace(/(\d+)/, '_$1').toUpperCase(),
  ];
  const names = [...serverNames('encodings', major).values()];
  const out: ValueCase[] = names.map((n, i) => ({ name: 'client_encoding', value: spell[i % spell.length]!(n) }));
  for (const v of [
    '',
    'UTF-8',
    'utf_8',
    'Unicode',
    ' utf8 ',
    'u.t.f.8',
    'ISO-8859-1',
    'ISO_8859_5',
    'MULE_INTERNAL',
    'mule-internal',
    'SQL_ASCII',
    'auto',
    'default',
    'bogus',
    'utf9',
    'cp1252',
    'latin11',
    'windows-1252',
    'win-1252',
    '-'.repeat(59) + 'utf8',
    '-'.repeat(60) + 'utf8',
  ])
    out.push({ name: 'client_encoding', value: v });
  return out;
}

/** DateStyle (MDY or DMY), timezone_abbreviations and the zone tables decide these, not pgdba. */
const SERVER_READS = 'read by the server with its DateStyle, timezone_abbreviations and zone names';

function recoveryTimeCases(): ValueCase[] {
  const decided = [
    ...['', 'now', 'today', 'tomorrow', 'yesterday', 'epoch', 'EPOCH', 'infinity', '-infinity', ' ', 'bogus', 'abc', 'allballs', 'zulu', 'UTC'],
    ...['2024-01-01', '2024-1-1', '2024-01-01 12:00', '2024-01-01  12:00', '2024-01-01T12:00:00Z', '2024-01-01 12:00:00.1234567', '2024-01-01 9:00'],
    ...['2024-02-29 00:00', '2023-02-29 00:00', '2000-02-29 01:00', '1900-02-29 01:00', '2024-02-30 00:00', '2024-04-31 00:00', '2024-13-01', '2024-00-10'],
    ...['0000-01-01', '0001-01-01 00:00', '9999-12-31 23:59:59', '2024-01-01 24:00:00', '2024-01-01 24:00:01', '2024-01-01 24:00:00.5', '2024-01-01 23:59:60'],
    ...['2024-01-01 23:60', '2024-01-01 25:00', '2024-01-01 12:00+15', '2024-01-01 12:00+16', '2024-01-01 12:00+15:59', '2024-01-01 12:00+15:60'],
    ...['2024-01-01 12:00:00 +0200', '2024-01-01 12:00:00 -02:30', '2024-01-01 12:00:00+02:00:30', '2024-01-01 12:00:00+02:00:60', '2024-01-01 12:00 +2'],
    ...['2024-01-01 12:00 UTC', '2024-01-01 12:00 gmt', '2024-01-01 12:00z', '2024-01-01 12:00:00 Z', ' 2024-01-01 12:00:00+00 '],
  ];
  const undecided = [
    ...['NOW', ' now', 'Today', 'today allballs', 'yesterday 12:00', '01/02/2024', '13/01/2024 10:00', 'Jan 1 2024', '1 January 2024 12:00', 'J2451187'],
    ...['2024-01-01 12:00 EST', '2024-01-01 12:00 CEST', '2024-01-01 12:00 Europe/Paris', '2024-01-01 12:00 zulu', '2024-01-01 12:00 bogus', 'x2024-01-01'],
    ...['294276-12-31', '294277-01-01', '20240101', '20240101T120000', '1e5', '12:00', '2024-01-01 12', '2024-01-01 12:00 BC', '2024-01-01 23:59:60.5'],
    ...['2024.01.01', 'epoch 1', 'infinity2'],
  ];
  return [
    ...decided.map((value) => ({ name: 'recovery_target_time', value })),
    ...undecided.map((value) => ({ name: 'recovery_target_time', value, undecided: SERVER_READS })),
  ];
}

/** The list syntax (empty items, quotes, blanks) on each list hook, then its key words right and wrong. */
const LIST_SYNTAX = ['', ' ', ',', 'a,', ',a', 'a,,b', 'a b', ' a , b ', '"a"', '"a', '""', '"a""b"', 'a\tb', 'A,B'];
const LIST_WORDS: Record<string, string[]> = {
  log_destination: ['stderr', 'STDERR', 'csvlog, stderr', 'jsonlog', 'syslog', '"Stderr"', 'stderr,bogus', 'file', 'eventlog'],
  createrole_self_grant: ['set', 'inherit', 'SET, Inherit', 'set,set', 'admin', '"set"'],
  restrict_nonsystem_relation_kind: ['view', 'foreign-table', 'View, Foreign-Table', 'foreign_table', 'table', '"view"'],
  debug_io_direct: ['data', 'wal', 'wal_init', 'DATA, wal', 'data,wal,wal_init', 'all', 'wal-init'],
  DateStyle: [
    'ISO, MDY',
    'iso,dmy',
    'SQL, DMY',
    'Postgres, YMD',
    'postgresql',
    'German',
    'German, MDY',
    'MDY, German',
    'European',
    'euro',
    'US',
    'NonEuropean',
    'noneuro',
    'Default',
    'ISO, Default',
    'default, SQL',
    'ISO, SQL',
    'ISO, ISO',
    'DMY, MDY',
    'ymd, YMD',
    'ISO, MDY, DMY',
    'XSQL',
    'postgre',
    'eur',
    'Europe, us',
    '"ISO"',
  ],
  wal_consistency_checking: [
    'all',
    'ALL',
    'heap, btree',
    'Heap2',
    'SPGist',
    'brin,generic',
    'gin, gist, hash, sequence',
    'xlog',
    'Transaction',
    'bogus',
    'all, bogus',
  ],
};

function listHookCases(major: number): ValueCase[] {
  const out: ValueCase[] = [];
  for (const [name, words] of Object.entries(LIST_WORDS)) {
    if (major < 16 && (name === 'createrole_self_grant' || name === 'debug_io_direct')) continue;
    for (const v of [...words, ...LIST_SYNTAX.filter((_, k) => k % 2 === Object.keys(LIST_WORDS).indexOf(name) % 2)]) out.push({ name, value: v });
  }
  for (const v of [...LIST_SYNTAX, '"$user", public', '$user, pg_catalog', 'Public', '"my schema", x', 'a.b', "'quoted'"])
    out.push({ name: 'search_path', value: v });
  const recovery: Record<string, string[]> = {
    recovery_target: ['', 'immediate', 'IMMEDIATE', ' immediate', 'latest'],
    recovery_target_lsn: ['', '0/0', '16/B374D848', 'ffffffff/FFFFFFFF', '1ffffffff/0', '0/', '/0', '0/0 ', ' 0/0', '0x1/0', 'g/0', '0'],
    recovery_target_xid: [
      '',
      '0',
      '1234',
      '0x1f',
      '010',
      '08',
      '0x',
      ' 12',
      '12 ',
      '+5',
      '-1',
      '18446744073709551615',
      '18446744073709551616',
      '-18446744073709551616',
      ' +0x10000000000000000',
      '02000000000000000000000',
      '01777777777777777777777',
      '18446744073709551616x',
      '1e3',
      'abc',
    ],
    recovery_target_name: ['', 'before_upgrade', 'x'.repeat(63), 'x'.repeat(64), 'é'.repeat(31), 'é'.repeat(32)],
    recovery_target_timeline: [
      '',
      'current',
      'latest',
      'LATEST',
      '1',
      '0',
      '0x10',
      '4294967295',
      '4294967296',
      '1abc',
      'abc',
      '-1',
      ' 2',
      '18446744073709551616',
      '0x1ffffffffffffffff',
    ],
  };
  for (const [name, values] of Object.entries(recovery)) for (const value of values) out.push({ name, value });
  for (const v of [
    '',
    '*',
    's1',
    's1, s2',
    'S1,s_2,"my standby"',
    'FIRST 2 (s1, s2, s3)',
    'first 1 (*)',
    'ANY 1 (s1, s2)',
    'any 2(s1,s2)',
    '2 (s1, s2)',
    '0 (s1)',
    'ANY 0 (s1)',
    'FIRST 00 (s1)',
    'ANY (s1)',
    'ANY 1 s1',
    'ANY 1 (s1',
    '1 (s1) s2',
    's1,',
    ',s1',
    's1 s2',
    'standby-1',
    'host.example',
    '"unterminated',
    '""',
    'any',
    'first',
    '1',
    '1, 2',
    '1abc',
    'a$b',
    '$a',
    'café',
    '(s1)',
    '3 (s1)',
  ])
    out.push({ name: 'synchronous_standby_names', value: v });
  for (const v of ['', 'standby1', 'slot_2', 'Standby1', 'my-slot', 'a b', 'x'.repeat(63), 'x'.repeat(64), 'é', '_', '0'])
    out.push({ name: 'primary_slot_name', value: v });
  return out;
}

/** Raw lines (one per file) for the lexer and the syntax of a line. */
export const RAW_LINES: string[] = [
  'work_mem = 4MB',
  'work_mem 4MB',
  'work_mem=4MB#comment',
  'work_mem = 4MB # trailing comment',
  'work_mem = 1.5MB',
  "work_mem = '1.5MB'",
  'work_mem = 4 MB',
  'work_mem = 0x100',
  'work_mem = 1e3',
  'work_mem = 1.0e3',
  'work_mem = -1',
  'work_mem = +4096',
  'work_mem = .',
  'work_mem =',
  'work_mem',
  '= 4MB',
  '4MB = work_mem',
  'work_mem = = 4MB',
  "application_name = 'it''s'",
  "application_name = 'back\\'slash'",
  "application_name = 'unterminated",
  "application_name = 'a' 'b'",
  'application_name = abc.def',
  'application_name = abc.def.ghi',
  'application_name = /var/run',
  'application_name = abc/def',
  'application_name = a-b:c/d.e',
  'application_name = 127.0.0.1',
  'application_name = localhost,127.0.0.1',
  'application_name = "double"',
  'search_path = "$user", public',
  'search_path = \'"$user", public\'',
  'myext.setting = on',
  'my-ext.setting = on',
  'myext.sub.setting = on',
  'work_mem = 4MB extra',
  'enable_seqscan = on;',
  'enable_seqscan on',
  'enable_seqscan = é',
  'café = 1',
  '  \t work_mem = 4MB\r',
  '# just a comment',
  '',
  "include_if_exists = 'no_such_file.conf'",
  "include_if_exists 'no_such_file.conf'",
  'work_mem = 0xg',
  'work_mem = 0x',
  'work_mem = 1x2',
  'work_mem = -',
  'work_mem = +.5e3',
  'random_page_cost = 1.',
  'random_page_cost = .5e',
  'random_page_cost = 5e-1',
];
