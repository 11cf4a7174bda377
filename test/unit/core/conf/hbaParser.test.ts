import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHba, HBA_CONN_TYPES } from '../../../../src/core/conf/hbaParser';
import { tokenizeHba } from '../../../../src/core/conf/hbaTokenizer';
import { parseIPv6, parseIPv4, prefixLength } from '../../../../src/core/conf/ipAddress';

const codes = (text: string, major = 16) => parseHba(text, { major }).problems.map((p) => p.code);
const one = (text: string, major = 16) => {
  const r = parseHba(text, { major });
  assert.deepEqual(r.problems, [], JSON.stringify(r.problems));
  const rec = r.records[0];
  assert.ok(rec);
  return rec;
};

void test('every record type parses', () => {
  for (const type of HBA_CONN_TYPES) {
    const line = type === 'local' ? `${type} all all scram-sha-256` : `${type} all all 10.0.0.0/8 scram-sha-256`;
    const rec = one(line);
    assert.equal(rec.type, type);
    assert.equal(rec.method, 'scram-sha-256');
    assert.equal(rec.address?.kind, type === 'local' ? undefined : 'ip');
  }
});

void test('tokens keep exact ranges; comments and trailing blanks are ignored', () => {
  const rec = one('host  all  all  127.0.0.1/32  scram-sha-256   # loopback\n');
  assert.deepEqual(rec.methodToken.range, { line: 1, column: 31, endLine: 1, endColumn: 44 });
  assert.deepEqual(rec.address?.token.range, { line: 1, column: 17, endLine: 1, endColumn: 29 });
  assert.equal(parseHba('# only a comment\n\n   \n').records.length, 0);
  assert.equal(one('local all all peer#comment').method, 'peer');
});

void test('comma lists: "a,b" and "a, b" are one field, "a ,b" is two', () => {
  const rec = one('local db1,db2, db3 alice,+admins,@users.txt md5');
  assert.deepEqual(
    rec.databases.map((t) => t.text),
    ['db1', 'db2', 'db3'],
  );
  assert.deepEqual(
    rec.users.map((t) => t.text),
    ['alice', '+admins', '@users.txt'],
  );
  const split = tokenizeHba('local db1 ,db2 all md5')[0];
  assert.equal(split?.fields.length, 5);
});

void test('quoted names: blanks, commas, # and "" inside; a quoted keyword is a name', () => {
  const rec = one('local "my db","a,b#c","say ""hi""" "all" md5');
  assert.deepEqual(
    rec.databases.map((t) => t.text),
    ['my db', 'a,b#c', 'say "hi"'],
  );
  assert.equal(rec.users[0]?.text, 'all');
  assert.equal(rec.users[0]?.quoted, true);
  assert.deepEqual(codes('local "unterminated all md5'), ['HBA012', 'HBA002']);
});

void test('keywords: all, sameuser, samerole, samegroup, replication; regex (16+)', () => {
  const rec = one('host sameuser,samerole,samegroup,replication,/^app_.*$ all samenet md5');
  assert.equal(rec.databases.length, 5);
  assert.equal(rec.address?.kind, 'samenet');
  assert.equal(one('host all all samehost md5').address?.kind, 'samehost');
  assert.equal(one('host all all all md5').address?.kind, 'all');
  assert.deepEqual(codes('local /(unclosed all md5'), ['HBA013']);
  assert.deepEqual(codes('local /(unclosed all md5', 15), []);
});

void test('addresses: CIDR, address + mask, IPv6, host names and .suffix', () => {
  const v4 = one('host all all 192.168.1.0 255.255.255.0 md5');
  assert.ok(v4.address?.kind === 'ip' && prefixLength(v4.address.mask) === 24);
  const v6 = one('host all all fe80::/10 md5');
  assert.ok(v6.address?.kind === 'ip' && v6.address.ip.family === 6 && prefixLength(v6.address.mask) === 10);
  assert.ok(one('host all all ::ffff:10.0.0.1/128 md5').address?.kind === 'ip');
  assert.ok(one('host all all 2001:db8::1 ffff:ffff:ffff:ffff:: md5').address?.kind === 'ip');
  const host = one('host all all db.example.com md5').address;
  assert.ok(host?.kind === 'hostname' && host.name === 'db.example.com');
  assert.equal(one('host all all .example.com md5').address?.kind, 'hostname');
  assert.equal(one('host all all "samehost" md5').address?.kind, 'hostname');
});

void test("bad addresses and masks are errors in the server's words", () => {
  assert.deepEqual(codes('host all all 10.0.0.0/33 md5'), ['HBA005']);
  assert.deepEqual(codes('host all all ::/129 md5'), ['HBA005']);
  assert.deepEqual(codes('host all all 10.0.0.0/x md5'), ['HBA005']);
  assert.deepEqual(codes('host all all 300.1.1.1/32 md5'), ['HBA004']);
  assert.deepEqual(codes('host all all gggg::1 md5'), ['HBA004']);
  assert.deepEqual(codes('host all all example.com/24 md5'), ['HBA004']);
  assert.deepEqual(codes('host all all 10.0.0.1 md5'), ['HBA005']);
  assert.match(parseHba('host all all 10.0.0.1 md5').problems[0]?.message ?? '', /CIDR suffix/);
  assert.deepEqual(codes('host all all 10.0.0.1 ffff:: md5'), ['HBA005']);
  assert.deepEqual(codes('host all all 10.0.0.1,10.0.0.2 md5'), ['HBA003']);
  assert.deepEqual(codes('host all all 10.0.0.1 255.0.0.0,255.0.0.0 md5'), ['HBA003']);
});

void test('missing fields name the field PostgreSQL expected', () => {
  const msg = (t: string) => parseHba(t).problems.map((p) => `${p.code} ${p.message}`);
  assert.deepEqual(msg('local'), ['HBA002 end-of-line before database specification']);
  assert.deepEqual(msg('local all'), ['HBA002 end-of-line before role specification']);
  assert.deepEqual(msg('local all all'), ['HBA002 end-of-line before authentication method']);
  assert.deepEqual(msg('host all all'), ['HBA002 end-of-line before IP address specification']);
  assert.match(msg('host all all 10.0.0.1')[0] ?? '', /HBA002 end-of-line before netmask/);
});

void test('connection types and methods: unknown, misplaced, version-gated', () => {
  assert.match(parseHba('hots all all 10.0.0.0/8 md5').problems[0]?.message ?? '', /invalid connection type "hots" \(did you mean "host"\?\)/);
  assert.deepEqual(codes('local,host all all md5'), ['HBA003']);
  assert.match(parseHba('local all all sha256').problems[0]?.message ?? '', /invalid authentication method "sha256"/);
  assert.deepEqual(codes('local all all MD5'), ['HBA006']);
  assert.deepEqual(codes('local all all md5,trust'), ['HBA003']);
  assert.deepEqual(codes('host all all 10.0.0.0/8 peer'), ['HBA007']);
  assert.deepEqual(codes('local all all gss'), ['HBA007']);
  assert.deepEqual(codes('host all all 10.0.0.0/8 cert'), ['HBA007']);
  assert.equal(one('local all all ident').method, 'peer');
  assert.match(parseHba('local all all 127.0.0.1/32 md5').problems[0]?.message ?? '', /a local line has no address field/);
  assert.deepEqual(codes('host all all 10.0.0.0/8 oauth issuer=https://id.example', 17), ['HBA006']);
  assert.deepEqual(codes('host all all 10.0.0.0/8 oauth issuer=https://id.example', 18), []);
});

void test('auth options: name=value, per method, values, mandatory ones', () => {
  const rec = one('hostssl all all 0.0.0.0/0 cert map=certmap clientcert=verify-full');
  assert.deepEqual(
    rec.options.map((o) => [o.name, o.value]),
    [
      ['map', 'certmap'],
      ['clientcert', 'verify-full'],
    ],
  );
  assert.deepEqual(codes('host all all 10.0.0.0/8 md5 map=x'), ['HBA008']);
  assert.deepEqual(codes('host all all 10.0.0.0/8 md5 clientcert=verify-ca'), ['HBA008']);
  assert.deepEqual(codes('hostssl all all 10.0.0.0/8 md5 clientcert=verify-ca'), []);
  assert.deepEqual(codes('hostssl all all 10.0.0.0/8 md5 clientcert=1'), ['HBA008']);
  assert.deepEqual(codes('hostssl all all 10.0.0.0/8 md5 clientcert=1', 13), []);
  assert.deepEqual(codes('hostssl all all 10.0.0.0/8 md5 clientname=DN', 13), ['HBA008']);
  assert.deepEqual(codes('host all all 10.0.0.0/8 md5 justaword'), ['HBA008']);
  assert.deepEqual(codes('host all all 10.0.0.0/8 md5 colour=blue'), ['HBA008']);
  assert.deepEqual(codes('host all all 10.0.0.0/8 ldap ldapserver=ldap.example ldapprefix="cn=" ldapsuffix=",dc=example"'), []);
  assert.deepEqual(codes('host all all 10.0.0.0/8 ldap ldapserver=x ldapprefix=a ldapbasedn=b'), ['HBA008']);
  assert.deepEqual(codes('host all all 10.0.0.0/8 ldap ldapserver=x'), ['HBA008']);
  assert.deepEqual(codes('host all all 10.0.0.0/8 ldap ldapserver=x ldapbasedn=dc=x ldapport=abc'), ['HBA008']);
  assert.deepEqual(codes('host all all 10.0.0.0/8 radius radiusservers=a'), ['HBA008']);
  assert.deepEqual(codes('host all all 10.0.0.0/8 radius radiusservers=a radiussecrets=s'), []);
  assert.deepEqual(codes('host all all 10.0.0.0/8 pam pamservice=pg,pam_use_hostname=1'), []);
});

void test('backslash continuation joins lines (14+), even inside a comment; 13 does not', () => {
  const r = parseHba('host all \\\n     all 10.0.0.0/8 \\\n  scram-sha-256\nlocal all all peer\n', { major: 16 });
  assert.deepEqual(r.problems, []);
  assert.equal(r.records.length, 2);
  assert.equal(r.records[0]?.line, 1);
  assert.deepEqual(r.records[0]?.methodToken.range, { line: 3, column: 3, endLine: 3, endColumn: 16 });
  assert.equal(r.records[1]?.line, 4);
  assert.equal(parseHba('# comment \\\nlocal all all peer\n').records.length, 0);
  assert.deepEqual(codes('local all all \\\npeer', 13), ['HBA006', 'HBA001']);
});

void test('include directives (16+); before 16 they are unknown connection types', () => {
  const r = parseHba('include extra.conf\ninclude_if_exists "maybe there.conf"\ninclude_dir conf.d\nlocal all all peer\n');
  assert.deepEqual(
    r.includes.map((i) => [i.directive, i.path]),
    [
      ['include', 'extra.conf'],
      ['include_if_exists', 'maybe there.conf'],
      ['include_dir', 'conf.d'],
    ],
  );
  assert.equal(r.records.length, 1);
  assert.match(parseHba('include extra.conf', { major: 15 }).problems[0]?.message ?? '', /new in PostgreSQL 16/);
});

void test('never throws on random input', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const alphabet = 'host local all "#,\\\n\t /.:0123456789abcdef=@+md5 ';
  for (let i = 0; i < 300; i++) {
    let s = '';
    for (let j = 0; j < 80; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    assert.doesNotThrow(() => parseHba(s));
  }
});

void test('IP helpers', () => {
  assert.equal(parseIPv4('1.2.3'), undefined);
  assert.equal(parseIPv4('01.2.3.4')?.bytes[0], 1);
  assert.equal(parseIPv6('1::2::3'), undefined);
  assert.deepEqual(parseIPv6('::1')?.bytes.slice(14), [0, 1]);
  assert.equal(parseIPv6('fe80::1%eth0')?.family, 6);
  assert.equal(parseIPv6('1:2:3:4:5:6:7:8:9'), undefined);
  assert.equal(prefixLength([255, 0, 255, 0]), undefined);
});
