// Truth from the server for pg_hba.conf: PostgreSQL's own pg_hba_file_rules view parses the file
// on disk at query time (no reload), so a throw-away server judges every line of a generated file
// and the linter must put errors on exactly the same lines. Runs for PGDBA_TEST_MAJOR (the matrix
// runs 13–18).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import { lintHba } from '../../src/core/lint/hbaRules';

let srv: TestServer;
let client: pg.Client;
let hbaFile: string;
let original: string;

before(async () => {
  // settings force a throw-away server even when PGDBA_TEST_URL is set: its pg_hba.conf gets rewritten.
  srv = await getTestServer({ settings: { log_min_messages: 'fatal' } });
  client = new pg.Client(srv.url);
  await client.connect();
  hbaFile = (await client.query<{ hba_file: string }>('SHOW hba_file')).rows[0]?.hba_file ?? '';
  original = readFileSync(hbaFile, 'utf8');
  sslOn = await turnOnSsl();
});

let sslOn: string | true;

/**
 * ssl = on with a throw-away self-signed certificate, so that hostssl lines are judged on their
 * options (with ssl off the server stops at "SSL is disabled"), and on 18 a validator library
 * named for oauth lines. Returns why not when it cannot.
 */
async function turnOnSsl(): Promise<string | true> {
  const dataDir = srv.server?.dataDir;
  if (!dataDir) return 'no data directory of ours';
  const key = join(dataDir, 'server.key');
  const crt = join(dataDir, 'server.crt');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-days', '1', '-subj', '/CN=localhost'], {
    encoding: 'utf8',
  });
  if (r.error || r.status !== 0) return `openssl could not make a certificate (${r.error?.message ?? r.stderr.trim()})`;
  const owner = statSync(dataDir);
  for (const f of [key, crt]) chownSync(f, owner.uid, owner.gid);
  await client.query('ALTER SYSTEM SET ssl = on');
  // 18's oauth lines need a validator named (hba.c checks the setting, not the library)
  if (srv.major >= 18) await client.query("ALTER SYSTEM SET oauth_validator_libraries = 'pgdba_validator'");
  await client.query('SELECT pg_reload_conf()');
  // the reload reaches this backend before its next query; wait until it says so
  for (let i = 0; i < 100; i++) {
    if ((await client.query<{ ssl: string }>('SHOW ssl')).rows[0]?.ssl === 'on') return true;
    await new Promise((done) => setTimeout(done, 50));
  }
  return 'ssl stayed off after the reload';
}

after(async () => {
  if (hbaFile && original !== undefined) writeFileSync(hbaFile, original);
  await client?.end();
  await srv?.stop();
});

// Verdicts that depend on how PostgreSQL was built or on ssl = on, not on the file's syntax.
const BUILD_DEPENDENT = /not supported by this build|SSL is disabled|GSSAPI is not supported/;

async function serverErrorLines(text: string): Promise<Map<number, string>> {
  writeFileSync(hbaFile, text);
  const rows = (await client.query<{ line_number: number; error: string | null }>('SELECT line_number, error FROM pg_hba_file_rules WHERE error IS NOT NULL'))
    .rows;
  return new Map(rows.filter((r) => r.error && !BUILD_DEPENDENT.test(r.error)).map((r) => [r.line_number, r.error ?? '']));
}

function linterErrorLines(text: string, major: number): Map<number, string> {
  const findings = lintHba(text, { file: hbaFile, major, fileExists: existsSync }).filter((f) => f.severity === 'error' && f.code !== 'HBA010');
  // A record's error can sit on a continuation line; PostgreSQL reports the record's first line.
  const starts = recordStarts(text, major);
  return new Map(findings.map((f) => [starts(f.line), `${f.code} ${f.message}`]));
}

function recordStarts(text: string, major: number): (line: number) => number {
  const lines = text.split('\n');
  const start: number[] = [];
  let current = 1;
  lines.forEach((l, i) => {
    start[i + 1] = current;
    if (!(major >= 14 && l.endsWith('\\'))) current = i + 2;
  });
  return (line) => start[line] ?? line;
}

const VALID = [
  'local all all peer',
  'local all all ident',
  'host all all 127.0.0.1/32 scram-sha-256',
  'host all all ::1/128 scram-sha-256',
  'host all all 10.0.0.0 255.0.0.0 md5',
  'host all all 2001:db8::/32 md5',
  'host all all ::ffff:10.0.0.1/128 md5',
  'host db1,db2 u1,+grp 10.0.0.0/8 md5',
  'host db1, db2 u1 10.0.0.0/8 md5',
  'host "my db" "a,b" 10.0.0.0/8 md5',
  'host "say ""hi""" all 10.0.0.0/8 md5',
  'host all all samehost trust',
  'host all all samenet reject',
  'host all all all password',
  'host all all db.example.com md5',
  'host all all .example.com md5',
  'hostnossl all all 0.0.0.0/0 reject',
  'hostnogssenc all all 0.0.0.0/0 reject',
  'host sameuser all 10.0.0.0/8 md5',
  'host samerole,samegroup all 10.0.0.0/8 md5',
  'host replication all 10.0.0.0/8 md5',
  'local all all peer map=mymap',
  'host all all 10.0.0.0/8 ident map=m',
  'host all all 10.0.0.0/8 radius radiusservers=127.0.0.1 radiussecrets=s',
  'host all all 10.0.0.0/8 radius radiusservers="127.0.0.1,127.0.0.2" radiussecrets=s radiusports=1812',
  'host all all 10.0.0.0/8 trust # comment',
  'host all all 10.0.0.0/8 trust#comment',
  'host all all 10.0.0.0/8 md5   ',
  'host "@notafile" all 10.0.0.0/8 md5',
  'host all all "samehost" md5',
];

const INVALID = [
  'hots all all 10.0.0.0/8 md5',
  'local',
  'local all',
  'local all all',
  'host all all',
  'host all all 10.0.0.1',
  'host all all 10.0.0.1 md5',
  'host all all 10.0.0.0/33 md5',
  'host all all ::/129 md5',
  'host all all 10.0.0.0/x md5',
  'host all all example.com/24 md5',
  'host all all 10.0.0.1,10.0.0.2/32 md5',
  'host all all 10.0.0.0 ffff:: md5',
  'host all all 10.0.0.0 255.0.0.0,255.0.0.0 md5',
  'local all all MD5',
  'local all all scram',
  'local all all 127.0.0.1/32 md5',
  'host all all 10.0.0.0/8 peer',
  'host all all 10.0.0.0/8 cert',
  'host all all 10.0.0.0/8 md5 map=x',
  'host all all 10.0.0.0/8 md5 junk',
  'host all all 10.0.0.0/8 md5 colour=blue',
  'host all all 10.0.0.0/8 radius radiusservers=127.0.0.1',
  'host all all 10.0.0.0/8 md5 clientcert=verify-full',
  'local,host all all md5',
  'host all all 10.0.0.0/8 md5,trust',
  // a comma ends a token: the second server is a stray option
  'host all all 10.0.0.0/8 radius radiusservers=127.0.0.1,127.0.0.2 radiussecrets=s',
  // @file names a missing file (16+: an error; before 16 the list matches nothing)
  ...(process.env.PGDBA_TEST_MAJOR && Number(process.env.PGDBA_TEST_MAJOR) < 16 ? [] : ['host @dbs.txt all 10.0.0.0/8 md5']),
];

test('every line of a generated pg_hba.conf: the linter errs on exactly the lines PostgreSQL does', async () => {
  const lines = [...VALID, ...INVALID];
  const text = lines.join('\n') + '\n';
  const server = await serverErrorLines(text);
  const linter = linterErrorLines(text, srv.major);
  const report: string[] = [];
  lines.forEach((l, i) => {
    const n = i + 1;
    if (server.has(n) !== linter.has(n)) report.push(`line ${n} ${JSON.stringify(l)}: server ${server.get(n) ?? 'ok'} / linter ${linter.get(n) ?? 'ok'}`);
  });
  assert.deepEqual(report, [], `disagreements on PostgreSQL ${srv.major}`);
  // and the generated file really exercised both verdicts
  assert.deepEqual(
    VALID.filter((_, i) => server.has(i + 1)).map((l) => `${l}: ${server.get(VALID.indexOf(l) + 1) ?? ''}`),
    [],
  );
  assert.equal(server.size, INVALID.length);
});

test('continuation lines, regular expressions and include directives per major', async () => {
  const major = srv.major;
  const text = [
    'host all \\',
    '    all 10.0.0.0/8 \\',
    '    md5',
    'local /^app_[a-z]+$ all md5',
    'local /(unclosed all md5',
    'include missing-file.conf',
    'include_if_exists also-missing.conf',
    'local all all peer',
    '',
  ].join('\n');
  const server = await serverErrorLines(text);
  const linter = linterErrorLines(text, major);
  assert.deepEqual(
    [...linter.keys()].sort((a, b) => a - b),
    [...server.keys()].sort((a, b) => a - b),
    `server: ${JSON.stringify([...server])}\nlinter: ${JSON.stringify([...linter])}`,
  );
});

/** Every option against every method and connection type, with good and bad values. */
function optionCases(): string[] {
  const methods = ['trust', 'reject', 'md5', 'password', 'scram-sha-256', 'gss', 'sspi', 'ident', 'peer', 'pam', 'ldap', 'radius', 'cert', 'bsd', 'oauth'];
  // what a method needs, so that the option under test is what decides
  const base: Record<string, string> = {
    ldap: 'ldapserver=ldap.example.com ldapbasedn="dc=example,dc=com"',
    radius: 'radiusservers=127.0.0.1 radiussecrets=s',
    oauth: 'issuer=https://issuer.example.com scope=openid',
  };
  const options = [
    ...['verify-ca', 'verify-full', '1', '0', 'no-verify', 'bogus'].map((v) => `clientcert=${v}`),
    ...['CN', 'DN', 'cn', 'bogus'].map((v) => `clientname=${v}`),
    'map=m',
    ...['1', '0', 'yes', 'bogus'].map((v) => `include_realm=${v}`),
    'krb_realm=EXAMPLE.COM',
    'compat_realm=1',
    'upn_username=1',
    ...['389', '0', 'x', '70000'].map((v) => `ldapport=${v}`),
    ...['1', 'x'].map((v) => `ldaptls=${v}`),
    ...['ldap', 'ldaps', 'bogus'].map((v) => `ldapscheme=${v}`),
    'ldapprefix=cn=',
    'ldapsuffix=,dc=x',
    'ldapurl=ldap://h/dc=x',
    'ldapurl=bogus',
    'ldapsearchattribute=uid',
    'ldapsearchfilter=(uid=$username)',
    'ldapbinddn=cn=admin',
    'ldapbindpasswd=x',
    ...['1812', 'x'].map((v) => `radiusports=${v}`),
    'radiusidentifiers=pg',
    'pamservice=postgresql',
    ...['1', 'x'].map((v) => `pam_use_hostname=${v}`),
    'validator=pgdba_validator', // the library 18's server is given (the linter cannot see postgresql.conf from here)
    'delegate_ident_mapping=1',
    'colour=blue',
  ];
  const lines: string[] = [];
  for (const conn of ['local', 'host', 'hostssl', 'hostnossl']) {
    const head = conn === 'local' ? 'local all all' : `${conn} all all 10.0.0.0/8`;
    for (const m of methods) for (const o of options) lines.push(`${head} ${m} ${base[m] ? `${base[m]} ` : ''}${o}`);
  }
  // 16+'s regular expressions for users and databases, and include directives (before 16: not a type)
  lines.push(
    'local /^app_[a-z]+$ all md5',
    'local all /^u[0-9]+$ md5',
    'local "/^quoted$" all md5',
    'local /^a$,b all md5',
    'host all /^svc_.*$,admin 10.0.0.0/8 md5',
    'local /(unclosed all md5',
    'local all /[z-a] md5',
    'host all /x{2,1} 10.0.0.0/8 md5',
    'include missing-file.conf',
    'include_if_exists missing-file.conf',
    'include_dir missing.d',
    'include "quoted missing.conf"',
    'include a.conf b.conf',
    'include',
    'include_dir',
  );
  return lines;
}

test('generated options: every option on every method and connection type, as the server of this major says', async (t) => {
  if (sslOn !== true) t.diagnostic(`hostssl lines are left out: ${sslOn}`);
  const lines = optionCases().filter((l) => sslOn === true || !l.startsWith('hostssl'));
  const text = lines.join('\n') + '\n';
  writeFileSync(hbaFile, text);
  // Some refusals leave error empty (hba.c reports them to the log only, as for clientcert=bogus):
  // a line the server did not load has no type either.
  const rows = (
    await client.query<{ line_number: number; error: string | null }>(
      'SELECT line_number, error FROM pg_hba_file_rules WHERE error IS NOT NULL OR type IS NULL',
    )
  ).rows;
  const server = new Map(rows.map((r) => [r.line_number, r.error ?? 'refused (the reason goes to the server log only)']));
  const linter = linterErrorLines(text, srv.major);
  const report: string[] = [];
  let skipped = 0;
  lines.forEach((l, i) => {
    const n = i + 1;
    // a method this build lacks, or hostssl without ssl: the server never reads the options
    if (BUILD_DEPENDENT.test(server.get(n) ?? '')) return void skipped++;
    if (server.has(n) !== linter.has(n)) report.push(`${l}: server ${server.get(n) ?? 'ok'} / linter ${linter.get(n) ?? 'ok'}`);
  });
  const judged = lines.length - skipped;
  console.log(
    `PostgreSQL ${srv.major}: ${lines.length} option lines, ${judged} judged (${skipped} left to the build or ssl), server refuses ${server.size - skipped}; ${report.length} disagreements`,
  );
  assert.ok(judged > 500, `enough lines judged (${judged})`);
  assert.deepEqual(report, [], `disagreements on PostgreSQL ${srv.major}`);
});

test("the seed's pg_hba.conf is valid for the server too", async () => {
  const seed = [
    'local   all             postgres                                peer',
    'local   all             all                                     peer',
    'host    all             all             127.0.0.1/32            scram-sha-256',
    'host    all             all             153.246.150.162/32      scram-sha-256',
    '',
  ].join('\n');
  assert.equal((await serverErrorLines(seed)).size, 0);
  assert.equal(linterErrorLines(seed, srv.major).size, 0);
});
