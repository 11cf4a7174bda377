import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePrefix, MAX_PREFIX } from '../../../../src/core/logs/prefix';
import { parseLogTime } from '../../../../src/core/logs/timestamp';

test("the seed's prefix: a session line and a background process's line (%q)", () => {
  const m = compilePrefix('%m [%p] %q%u@%d ');
  const s = m.match('2026-12-01 16:07:07.562 UTC [5429] app@hotel LOG:  connection authorized: user=app database=hotel');
  assert.deepEqual(s && { ...s }, { level: 'LOG', messageStart: 51, time: '2026-12-01 16:07:07.562 UTC', pid: '5429', user: 'app', database: 'hotel' });
  const b = m.match('2026-12-01 16:07:09.191 UTC [5423] LOG:  checkpoint starting: immediate force wait');
  assert.equal(b?.level, 'LOG');
  assert.equal(b?.user, undefined);
  assert.equal(
    '2026-12-01 16:07:09.191 UTC [5423] LOG:  checkpoint starting: immediate force wait'.slice(b.messageStart),
    'checkpoint starting: immediate force wait',
  );
  // [unknown] (before authentication) is no user.
  assert.equal(m.match('2026-12-01 16:07:07.552 UTC [5429] [unknown]@[unknown] LOG:  connection received: host=127.0.0.1 port=1')?.user, undefined);
  // A name with spaces is still the user: the severity anchors the match.
  assert.equal(m.match('2026-12-01 16:07:07.552 UTC [1] a b@hotel ERROR:  x')?.user, 'a b');
});

test('every documented escape, with padding, and %% ', () => {
  const p = '%t|%n|%a|%u|%d|%r|%h|%L|%b|%p|%P|%i|%e|%c|%l|%s|%v|%x|%Q|%%|%-10u|%5p: ';
  const m = compilePrefix(p);
  const line =
    '2026-12-01 16:07:07 UTC|1796140027.461|psql|app|hotel|10.0.0.7(5432)|10.0.0.7|127.0.0.1|client backend|42||SELECT|22012|6b0ef0ab.152d|3|2026-12-01 16:00:00 UTC|3/77|0|-123|%|app       |   42: ERROR:  division by zero';
  const r = m.match(line);
  assert.ok(r, 'matched');
  assert.equal(r.level, 'ERROR');
  assert.equal(r.sqlstate, '22012');
  assert.equal(r.application, 'psql');
  assert.equal(r.host, '10.0.0.7');
  assert.equal(r.database, 'hotel');
  assert.equal(line.slice(r.messageStart), 'division by zero');
});

test('a prefix that does not fit the line is no match, in bounded time on a long line', () => {
  const m = compilePrefix('%m [%p] %q%u@%d ');
  assert.equal(m.match('Dec  1 16:07:07 host postgres[1]: LOG:  x'), undefined);
  assert.equal(m.match('2026-12-01 16:07:07.461 UTC [12] ' + 'x@'.repeat(200_000)), undefined);
});

test('timestamps: zones by name and offset, %t without ms, garbage', () => {
  assert.equal(parseLogTime('2026-12-01 16:07:07.461 UTC'), Date.UTC(2026, 11, 1, 16, 7, 7, 461));
  assert.equal(parseLogTime('2026-12-01 17:07:07 CET'), Date.UTC(2026, 11, 1, 16, 7, 7));
  assert.equal(parseLogTime('2026-12-01 19:37:07.000 +0330'), Date.UTC(2026, 11, 1, 16, 7, 7));
  assert.equal(parseLogTime('2026-12-01 11:07:07 -05'), Date.UTC(2026, 11, 1, 16, 7, 7));
  assert.equal(parseLogTime('2026-99-01 16:07:07 UTC'), undefined);
  assert.equal(parseLogTime('short'), undefined);
});

test('many name escapes: a line that does not match fails at once, not after 64^k splits (found by the fuzz rig)', () => {
  const m = compilePrefix('%u@'.repeat(12));
  const t0 = performance.now();
  assert.equal(m.match('x@'.repeat(60)), undefined);
  // Each name stops at the literal after it; the last one, before the severity, may hold spaces.
  const seeds = compilePrefix('%m [%p] %q[user=%u,db=%d,app=%a] ');
  assert.deepEqual(
    { ...seeds.match('2026-12-01 16:07:07.562 UTC [7] [user=app,db=hotel,app=my tool] LOG:  x') },
    { level: 'LOG', messageStart: 70, time: '2026-12-01 16:07:07.562 UTC', pid: '7', user: 'app', database: 'hotel', application: 'my tool' },
  );
  assert.ok(performance.now() - t0 < 60_000); // the old matcher took minutes here: the test's own timeout would end it
});

test('a prefix past MAX_PREFIX places no line rather than overflow the regular expression compiler (found by npm run fuzz)', () => {
  const m = compilePrefix('%u@'.repeat(20_000));
  assert.equal(m.match('app@hotel LOG:  x'), undefined);
  assert.ok(compilePrefix('%m '.repeat(600)).prefix.length <= MAX_PREFIX);
});
