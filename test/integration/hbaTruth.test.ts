// Truth from the server for pg_hba.conf: PostgreSQL's own pg_hba_file_rules view parses the file
// on disk at query time (no reload), so a throw-away server judges every line of a generated file
// and the linter must put errors on exactly the same lines. Runs for PGDBA_TEST_MAJOR (the matrix
// runs 13–18).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
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
});

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
