import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintFileSet, serverInfoFromConf, type LintSetOptions, type LintTarget } from '../../../../src/core/lint/lintFileSet';
import { fileTypeOf } from '../../../../src/core/lint/lintLanguages';
import { lintFilesOf } from '../../../../src/core/lint/lintFiles';
import { ConfModel } from '../../../../src/core/lint/confModel';
import { resolveConfTree } from '../../../../src/core/conf/confIncludes';
import type { Finding } from '../../../../src/core/lint/finding';
import { completions, confParamInfo, pgbouncerParamInfo } from '../../../../src/core/lint/paramInfo';
import { SEED_HBA, SEED_PGBOUNCER, SEED_POSTGRESQL_CONF } from './lintSeeds';

const GB = 2 ** 30;

/** Texts in hand linted as one set (as the CLI does), every file's findings in one list. */
function lintTexts(inputs: readonly (LintTarget & { text: string })[], opts: LintSetOptions): Finding[] {
  const byFile = lintFileSet(inputs, lintFilesOf(new Map(inputs.map((i) => [i.path, i.text]))), opts);
  return [...byFile.values()].flat();
}

const serverInfoOf = (text: string, major: number) => serverInfoFromConf(new ConfModel(resolveConfTree('postgresql.conf', text), major), 'postgresql.conf');
const seedProfile = { ramBytes: 4 * GB, cpus: 4, storage: 'ssd' as const, workload: 'web' as const, maxConnections: 100, pgVersion: 16 };

void test('file types from names', () => {
  assert.equal(fileTypeOf('/etc/postgresql/16/main/postgresql.conf'), 'conf');
  assert.equal(fileTypeOf('postgresql.auto.conf'), 'conf');
  assert.equal(fileTypeOf('pg_hba.conf'), 'hba');
  assert.equal(fileTypeOf('pg_hba_replica.conf'), 'hba');
  assert.equal(fileTypeOf('/etc/pgbouncer/pgbouncer.ini'), 'pgbouncer');
  assert.equal(fileTypeOf('pg_ident.conf'), undefined);
});

void test('server figures for pgbouncer come from postgresql.conf', () => {
  assert.deepEqual(serverInfoOf(SEED_POSTGRESQL_CONF, 16), {
    major: 16,
    maxConnections: 100,
    superuserReservedConnections: 3,
    reservedConnections: 0,
    passwordEncryption: undefined,
    source: 'postgresql.conf',
  });
  const s = serverInfoOf('max_connections = 40\nsuperuser_reserved_connections = 5\npassword_encryption = md5\n', 16);
  assert.equal(s.maxConnections, 40);
  assert.equal(s.superuserReservedConnections, 5);
  assert.equal(s.passwordEncryption, 'md5');
});

void test('the seed trio linted together: hba and pgbouncer findings are exactly the real ones', () => {
  const f = lintTexts(
    [
      { path: 'pg_hba.conf', text: SEED_HBA, type: 'hba' },
      { path: 'postgresql.conf', text: SEED_POSTGRESQL_CONF, type: 'conf' },
      { path: 'pgbouncer.ini', text: SEED_PGBOUNCER, type: 'pgbouncer' },
    ],
    { major: 16, hardware: seedProfile },
  );
  // Its three application servers at public addresses connect in clear text: ssl is off (HBA026).
  assert.deepEqual(
    f.filter((x) => x.file === 'pg_hba.conf').map((x) => [x.code, x.severity, /from (\S+) are/.exec(x.message)?.[1]]),
    [
      ['HBA026', 'warning', '153.246.150.162/32'],
      ['HBA026', 'warning', '153.127.41.18/32'],
      ['HBA026', 'warning', '133.32.134.250/32'],
    ],
  );
  assert.deepEqual(
    f.filter((x) => x.file === 'pgbouncer.ini').map((x) => [x.code, x.severity]),
    [
      ['PGB023', 'info'],
      ['PGB030', 'warning'],
    ],
  );
  // the seed's pg_hba.conf has no line open to the world, so no PGC401
  assert.ok(!f.some((x) => x.code === 'PGC401'));
});

void test('a smaller postgresql.conf beside pgbouncer.ini turns the same pools into warnings', () => {
  const f = lintTexts(
    [
      { path: 'postgresql.conf', text: 'max_connections = 40\n', type: 'conf' },
      { path: 'pgbouncer.ini', text: SEED_PGBOUNCER, type: 'pgbouncer' },
    ],
    { major: 16 },
  );
  const codes = f.filter((x) => x.file === 'pgbouncer.ini').map((x) => x.code);
  // max_db_connections 50 and max_user_connections 50 > 37 available; one pool of 30 still fits.
  assert.deepEqual(codes, ['PGB023', 'PGB030', 'PGB021', 'PGB021']);
  assert.match(f.find((x) => x.code === 'PGB021')?.message ?? '', /max_connections 40 − superuser_reserved_connections 3 = 37, from postgresql\.conf/);
});

void test('hostssl lines warn when the postgresql.conf beside them leaves ssl off', () => {
  const hba = { path: 'pg_hba.conf', text: 'hostssl all all 10.0.0.0/8 scram-sha-256\n', type: 'hba' as const };
  const off = lintTexts([hba, { path: 'postgresql.conf', text: 'max_connections = 100\n', type: 'conf' }], { major: 16 });
  assert.deepEqual(
    off.filter((x) => x.file === 'pg_hba.conf').map((x) => [x.code, x.line, x.column]),
    [['HBA015', 1, 1]],
  );
  const on = lintTexts([hba, { path: 'postgresql.conf', text: 'ssl = on\n', type: 'conf' }], { major: 16 });
  assert.deepEqual(
    on.filter((x) => x.file === 'pg_hba.conf'),
    [],
  );
  assert.deepEqual(lintTexts([hba], { major: 16 }), [], 'unknown ssl: no finding');
});

void test("host lines beyond this machine warn while the postgresql.conf beside them leaves ssl off (the seed's application servers)", () => {
  const lines = [
    'local all all peer',
    'host all all 127.0.0.1/32 scram-sha-256',
    'host all all ::1/128 scram-sha-256',
    'host all all localhost scram-sha-256',
    'host all all samehost scram-sha-256',
    'host all all 127.10.0.0/16 scram-sha-256',
    'host all all 153.246.150.162/32 scram-sha-256',
    'host all all 10.0.0.0/8 password',
    'host all all samenet scram-sha-256',
    'hostnossl all all 192.0.2.0/24 scram-sha-256',
    'host all all 198.51.100.0/24 reject',
  ];
  const hba = { path: 'pg_hba.conf', text: lines.join('\n') + '\n', type: 'hba' as const };
  const off = lintTexts([hba, { path: 'postgresql.conf', text: "listen_addresses = '*'\n", type: 'conf' }], { major: 16 });
  const found = off.filter((x) => x.code === 'HBA026');
  assert.deepEqual(
    found.map((x) => x.line),
    [7, 8, 9],
  );
  assert.match(found[0]!.message, /153\.246\.150\.162\/32 are not encrypted.*scram-sha-256 protects the password only.*hostssl/);
  assert.match(found[1]!.message, /the login too/);
  const on = lintTexts([hba, { path: 'postgresql.conf', text: 'ssl = on\n', type: 'conf' }], { major: 16 });
  assert.deepEqual(
    on.filter((x) => x.code === 'HBA026'),
    [],
  );
  assert.deepEqual(
    lintTexts([hba], { major: 16 }).filter((x) => x.code === 'HBA026'),
    [],
    'unknown ssl: no finding',
  );
});

void test('--connections stands in for a missing postgresql.conf', () => {
  const f = lintTexts([{ path: 'pgbouncer.ini', text: SEED_PGBOUNCER, type: 'pgbouncer' }], { major: 16, connections: { count: 40, source: '--connections' } });
  assert.match(f.find((x) => x.code === 'PGB021')?.message ?? '', /from --connections/);
});

void test('hover data: description, unit, range, default, context, recommendation', () => {
  const info = confParamInfo('shared_buffers', 16, seedProfile);
  assert.ok(info);
  const facts = Object.fromEntries(info.facts.map((f) => [f.label, f.value]));
  assert.match(info.description, /shared memory buffers/);
  assert.match(facts.Type ?? '', /integer, unit 8kB/);
  assert.equal(facts.Default, '128MB');
  assert.match(facts.Range ?? '', /128kB … /);
  assert.match(facts.Context ?? '', /postmaster: changing it needs a server restart/);
  assert.match(info.recommendation ?? '', /^1GB for 4 GB RAM, 4 CPUs, SSD, web: /);
  assert.match(confParamInfo('vacuum_defer_cleanup_age', 16)?.description ?? '', /removed in 16/);
  assert.equal(confParamInfo('no_such_thing', 16), undefined);
  assert.equal(pgbouncerParamInfo('pool_mode', 'pgbouncer')?.facts[0]?.value, 'session | transaction | statement');
});

void test('completion: names, enum values, pgbouncer keys, hba keywords', () => {
  assert.ok(completions('conf', 'shared_', 16).some((c) => c.label === 'shared_buffers'));
  assert.deepEqual(
    completions('conf', "wal_level = '", 16).map((c) => c.label),
    ['minimal', 'replica', 'logical'],
  );
  assert.deepEqual(
    completions('conf', 'fsync = ', 16).map((c) => c.label),
    ['on', 'off'],
  );
  assert.deepEqual(
    completions('pgbouncer', 'auth_type = ', 16, 'pgbouncer').map((c) => c.label),
    ['cert', 'md5', 'scram-sha-256', 'plain', 'trust', 'any', 'hba', 'ldap', 'pam'],
  );
  assert.ok(completions('pgbouncer', 'max_', 16, 'pgbouncer').some((c) => c.label === 'max_client_conn'));
  assert.ok(completions('hba', '', 16).some((c) => c.label === 'hostssl'));
  assert.ok(completions('hba', 'host all all 10.0.0.0/8 ', 16).some((c) => c.label === 'scram-sha-256'));
  assert.ok(!completions('hba', 'local all all ', 17).some((c) => c.label === 'oauth'));
  assert.ok(completions('hba', 'local all all ', 18).some((c) => c.label === 'oauth'));
});
