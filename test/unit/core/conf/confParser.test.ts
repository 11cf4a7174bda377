import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findCommented, parseConf, type ConfSetting } from '../../../../src/core/conf/confParser';
import { deescapeQuoted, quoteIfNeeded } from '../../../../src/core/conf/confString';
import { resolveConfTree, joinPath, type ConfFileSystem } from '../../../../src/core/conf/confIncludes';
import { strtod, strtol, rint } from '../../../../src/core/conf/confNumber';
import { lintPostgresqlConf } from '../../../../src/core/lint/postgresqlConf';
import { nodeConfFileSystem } from '../../../../src/core/conf/nodeConfFileSystem';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function settings(text: string): ConfSetting[] {
  return parseConf(text).items.filter((i): i is ConfSetting => i.kind === 'setting');
}
function one(text: string): ConfSetting {
  const s = settings(text);
  assert.equal(s.length, 1, `one setting in ${JSON.stringify(text)}`);
  return s[0] as ConfSetting;
}

test('name = value and name value, with exact ranges', () => {
  const s = one('  shared_buffers = 128MB   # comment');
  assert.equal(s.name, 'shared_buffers');
  assert.equal(s.value, '128MB');
  assert.equal(s.valueKind, 'integer');
  assert.deepEqual(s.nameRange, { line: 1, column: 3, endLine: 1, endColumn: 17 });
  assert.deepEqual(s.valueRange, { line: 1, column: 20, endLine: 1, endColumn: 25 });
  const t = one('work_mem 4MB');
  assert.equal(t.value, '4MB');
  assert.deepEqual(t.valueRange, { line: 1, column: 10, endLine: 1, endColumn: 13 });
});

test('comments right after a value, blank lines, CRLF and no final newline', () => {
  const s = settings('# head\n\nwork_mem=4MB#tail\r\nfsync = off\r\nport = 5433');
  assert.deepEqual(
    s.map((x) => [x.name, x.value, x.line]),
    [
      ['work_mem', '4MB', 3],
      ['fsync', 'off', 4],
      ['port', '5433', 5],
    ],
  );
  assert.equal(parseConf('a = 1').errors.length, 0);
});

test('quoted strings: doubled quotes, backslash escapes, octal, and # inside', () => {
  assert.equal(one("application_name = 'it''s'").value, "it's");
  assert.equal(one("application_name = 'a\\'b'").value, "a'b");
  assert.equal(one("application_name = 'tab\\there'").value, 'tab\there');
  assert.equal(one("application_name = 'x\\101y'").value, 'xAy');
  assert.equal(one("application_name = 'cut\\0here'").value, 'cut');
  assert.equal(one("log_line_prefix = '%m # [%p] '   # real comment").value, '%m # [%p] ');
  assert.equal(deescapeQuoted("'\\q'"), 'q');
  assert.equal(quoteIfNeeded('1GB'), '1GB');
  assert.equal(quoteIfNeeded("it's *"), "'it''s *'");
});

test('token kinds follow guc-file.l: reals, hex, unquoted strings, qualified names', () => {
  assert.equal(one('random_page_cost = 1.1').valueKind, 'real');
  assert.equal(one('random_page_cost = .5').valueKind, 'real');
  assert.equal(one('random_page_cost = 1.0e5').valueKind, 'real');
  assert.equal(one('work_mem = 0x1F').value, '0x1F');
  assert.equal(one('work_mem = -1').valueKind, 'integer');
  assert.equal(one('log_directory = pg_log/old-2').valueKind, 'unquoted');
  assert.equal(parseConf('data_directory = /var/lib/pg').errors.length, 1, 'an unquoted value starts with a letter');
  const q = one('auto_explain.log_min_duration = 250ms');
  assert.equal(q.name, 'auto_explain.log_min_duration');
  assert.equal(one('ssl_ciphers = HIGH:MEDIUM').value, 'HIGH:MEDIUM');
});

test('syntax errors: where PostgreSQL finds them, with the range and a hint', () => {
  const cases: [string, string, number][] = [
    ['work_mem = 1.5MB', 'PGC002', 15],
    ['work_mem = 4 MB', 'PGC002', 14],
    ['work_mem =', 'PGC002', 11],
    ['= 4MB', 'PGC002', 1],
    ['4MB = x', 'PGC002', 1],
    ["application_name = 'open", 'PGC001', 20],
    ['search_path = "$user", public', 'PGC002', 15],
    ['application_name = abc.def', 'PGC002', 20],
    ['my-ext.x = 1', 'PGC002', 1],
    ['work_mem = 1e5', 'PGC002', 14],
  ];
  for (const [text, code, column] of cases) {
    const p = parseConf(text);
    assert.equal(p.errors.length, 1, text);
    assert.equal(p.errors[0]?.code, code, text);
    assert.equal(p.errors[0]?.range.column, column, text);
    assert.equal(p.items.length, 0, text);
  }
  assert.match(parseConf('work_mem = 1.5MB').errors[0]?.message ?? '', /quote it/);
  const unterminated = parseConf("a = 'xy\nb = 2").errors[0];
  assert.deepEqual(unterminated?.range, { line: 1, column: 5, endLine: 1, endColumn: 8 });
  assert.equal(settings("a = 'xy\nb = 2").length, 1, 'the next line still parses');
});

test('after 100 syntax errors the file is abandoned, as the server does', () => {
  const p = parseConf('!\n'.repeat(500) + 'work_mem = 4MB\n');
  assert.equal(p.errors.length, 101);
  assert.equal(p.errors[100]?.code, 'PGC005');
  assert.equal(p.items.length, 0);
});

test('commented-out settings are remembered for fixes', () => {
  const text =
    "#random_page_cost = 4.0\t\t# same scale as above\n  # shared_buffers = 128MB\n#listen_addresses = 'localhost'  # what IP\n# - Memory -\n#  (change requires restart)";
  const commented = findCommented(text, parseConf(text));
  assert.equal(commented.size, 3);
  assert.deepEqual(commented.get('random_page_cost')?.range, { line: 1, column: 1, endLine: 1, endColumn: 24 });
  assert.equal(commented.get('shared_buffers')?.range.column, 3);
  assert.equal(commented.get('listen_addresses')?.range.endColumn, 32);
});

test('include directives are reported, and resolved through the file-system port', () => {
  const files: Record<string, string> = {
    '/etc/pg/postgresql.conf': "include 'sub/a.conf'\ninclude_if_exists = 'missing.conf'\ninclude_dir 'conf.d'\ninclude 'gone.conf'\nwork_mem = 1MB\n",
    '/etc/pg/sub/a.conf': "work_mem = 2MB\ninclude '../b.conf'\n",
    '/etc/pg/b.conf': 'work_mem = 3MB\n',
    '/etc/pg/conf.d/20-x.conf': 'work_mem = 5MB\n',
    '/etc/pg/conf.d/10-y.conf': 'work_mem = 4MB\n',
    '/etc/pg/conf.d/.hidden.conf': 'work_mem = 99MB\n',
    '/etc/pg/conf.d/notes.txt': 'junk',
  };
  const fs: ConfFileSystem = {
    readFile: (p) => files[p],
    listDir: (p) =>
      p === '/etc/pg/conf.d'
        ? Object.keys(files)
            .filter((k) => k.startsWith(p + '/'))
            .map((k) => k.slice(p.length + 1))
        : undefined,
    stat: (p) => (files[p] !== undefined ? { kind: 'file', size: files[p].length } : p === '/etc/pg/conf.d' ? { kind: 'directory', size: 0 } : undefined),
  };
  const main = files['/etc/pg/postgresql.conf'] as string;
  const directives = parseConf(main).items.filter((i) => i.kind !== 'setting');
  assert.deepEqual(
    directives.map((d) => d.kind),
    ['include', 'include_if_exists', 'include_dir', 'include'],
  );
  const tree = resolveConfTree('/etc/pg/postgresql.conf', main, fs);
  const values = tree.order.flatMap(({ file, item }) => (item.kind === 'setting' ? [`${file}=${item.value}`] : []));
  assert.deepEqual(values, [
    '/etc/pg/sub/a.conf=2MB',
    '/etc/pg/b.conf=3MB',
    '/etc/pg/conf.d/10-y.conf=4MB',
    '/etc/pg/conf.d/20-x.conf=5MB',
    '/etc/pg/postgresql.conf=1MB',
  ]);
  assert.deepEqual(
    tree.problems.map((p) => [p.code, p.range.line]),
    [['PGC003', 4]],
  );
  assert.equal(joinPath('/etc/pg/sub', '../x.conf'), '/etc/pg/x.conf');
  assert.equal(joinPath('/etc/pg', '/abs.conf'), '/abs.conf');
});

test('an include loop stops at depth 10 with PGC004', () => {
  const fs: ConfFileSystem = {
    readFile: (p) => (p === '/a/self.conf' ? "include 'self.conf'\n" : undefined),
    listDir: () => undefined,
    stat: (p) => (p === '/a/self.conf' ? { kind: 'file', size: 19 } : undefined),
  };
  const tree = resolveConfTree('/a/self.conf', "include 'self.conf'\n", fs);
  assert.equal(tree.problems.length, 1);
  assert.equal(tree.problems[0]?.code, 'PGC004');
});

test('C number parsing as glibc does it', () => {
  assert.deepEqual([strtol('010').value, strtol('0x10').value, strtol('08').end, strtol(' -7x').value], [8, 16, 1, -7]);
  assert.equal(strtol('0x').end, 1);
  assert.equal(strtod('1e3').value, 1000);
  assert.equal(strtod('1e').end, 1);
  assert.equal(strtod('0x1p4').value, 16);
  assert.equal(strtod('inf').value, Infinity);
  assert.ok(strtod('1e400').erange);
  assert.ok(strtod('1e-400').erange);
  assert.equal(strtod('abc').end, 0);
  assert.deepEqual([rint(2.5), rint(3.5), rint(-2.5), rint(1.4)], [2, 4, -2, 1]);
});

/** A tiny deterministic PRNG, so a failing fuzz case can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('fuzz: random and mutated files never throw', () => {
  const rnd = prng(42);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz_ABCXYZ0123456789 \t\r\n#=\'\\.-+:/,"éλ\u0000\uffff';
  const seedText = "shared_buffers = 128MB # c\nwork_mem '4MB'\ninclude 'x.conf'\nlisten_addresses = '*'\nwal_level = minimal\n";
  for (let i = 0; i < 800; i++) {
    let text: string;
    if (i % 2 === 0) {
      const len = Math.floor(rnd() * 200);
      text = Array.from({ length: len }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
    } else {
      const chars = [...seedText];
      for (let k = 0; k < 5; k++)
        chars.splice(Math.floor(rnd() * chars.length), Math.floor(rnd() * 3), alphabet[Math.floor(rnd() * alphabet.length)] as string);
      text = chars.join('');
    }
    const fs: ConfFileSystem = { readFile: () => text, listDir: () => ['a.conf'], stat: () => ({ kind: 'file', size: text.length }) };
    const findings = lintPostgresqlConf(text, {
      file: '/f/postgresql.conf',
      major: 13 + (i % 6),
      fs,
      hardware: { ramBytes: 2 ** 32, cpus: 4, storage: 'ssd', workload: 'web', pgVersion: 16 },
    });
    assert.ok(Array.isArray(findings));
    assert.ok(
      findings.every((f) => f.code !== 'PGC000'),
      `no internal error for ${JSON.stringify(text)}`,
    );
  }
});

test('fuzz: a 1 MB file of random bytes lints and finishes', () => {
  const rnd = prng(7);
  const bytes = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rnd() * 256);
  const findings = lintPostgresqlConf(bytes.toString('latin1'), { file: 'postgresql.conf', major: 16 });
  assert.ok(findings.length > 0);
  assert.ok(findings.every((f) => f.code !== 'PGC000'));
  const lines = 'work_mem = 4MB # ok\n'.repeat(50_000);
  assert.equal(lintPostgresqlConf(lines, { file: 'postgresql.conf', major: 16 }).filter((f) => f.severity !== 'info').length, 49_999);
});

test('includes on a real disk through nodeConfFileSystem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-conf-'));
  try {
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'conf.d', '01-mem.conf'), 'work_mem = 8MB\n');
    writeFileSync(join(dir, 'extra.conf'), 'work_mem = 16MB\n');
    const main = "include_dir 'conf.d'\ninclude 'extra.conf'\ninclude 'missing.conf'\n";
    const findings = lintPostgresqlConf(main, { file: join(dir, 'postgresql.conf'), major: 16, fs: nodeConfFileSystem });
    assert.deepEqual(
      findings.filter((f) => f.severity !== 'info').map((f) => [f.file.slice(dir.length), f.line, f.code]),
      [
        ['/postgresql.conf', 3, 'PGC003'],
        ['/conf.d/01-mem.conf', 1, 'PGC030'],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
