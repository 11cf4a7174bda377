// The generated nightly schedule with hostile values (a database name is chosen by anyone with
// CREATEDB): the real systemd-analyze verify accepts the unit, its directives are exactly the
// generated ones, and ExecStart's argv — decoded as systemd.syntax(7) says — and the script's,
// run by bash, are the exact values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSchedule, ScheduleValueError, startTimeoutMinutes, writeSchedule, type ScheduleOptions } from '../../../../src/core/backup/schedule';
import { tempDir } from '../../../support/tempDir';

const ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));

const HOSTILE = [
  '%h',
  '$HOME',
  '${HOME}',
  '$$',
  `it's "quoted"`,
  'back\\slash',
  'ends with \\',
  'with spaces',
  'semi;colon',
  ';',
  '-leading',
  '100%%',
  'é ünï',
  '\\x41',
];

/** Directives of a unit file as systemd reads them: [section, key] per line, comments and blanks skipped. */
function directives(unit: string): string[] {
  const out: string[] = [];
  let section = '';
  for (const line of unit.split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    assert.doesNotMatch(line, /\\$/, `a continuation line: ${line}`);
    const s = /^\[(.+)\]$/.exec(line);
    if (s) section = s[1]!;
    else out.push(`${section}.${line.slice(0, line.indexOf('='))}`);
  }
  return out;
}

const value = (unit: string, key: string) =>
  unit
    .split('\n')
    .find((l) => l.startsWith(`${key}=`))
    ?.slice(key.length + 1);

/** Specifiers: only %% is pgdba's, any other would be expanded. */
function unspecify(raw: string): string {
  return raw.replace(/%(.)/g, (_, c: string) => {
    assert.equal(c, '%', `specifier %${c} would be expanded`);
    return '%';
  });
}

/** Specifiers first, then words: quotes and C escapes (systemd.syntax(7)). */
function decodeWords(raw: string): string[] {
  const text = unspecify(raw);
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ') i++;
    if (i >= text.length) break;
    let w = '';
    let quote: string | undefined;
    for (; i < text.length; i++) {
      const ch = text[i]!;
      if (!quote && ch === ' ') break;
      if (!quote && (ch === '"' || ch === "'")) quote = ch;
      else if (quote && ch === quote) quote = undefined;
      else if (ch === '\\') {
        const n = text[++i];
        const simple: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", n: '\n', t: '\t', s: ' ' };
        assert.ok(n !== undefined && n in simple, `escape \\${n ?? ''} is not one pgdba writes`);
        w += simple[n];
      } else w += ch;
    }
    assert.equal(quote, undefined, 'an unterminated quote');
    words.push(w);
  }
  return words;
}

/** Command-line arguments: $$ is a $, a lone $NAME or ${NAME} would be substituted. */
function undollar(arg: string): string {
  assert.doesNotMatch(arg.replace(/\$\$/g, ''), /\$/, `"${arg}" holds a $ systemd would substitute`);
  return arg.replace(/\$\$/g, '$');
}

test('schedule: control characters in any value are refused, with words', () => {
  for (const bad of ['nightly\n[Service]\nExecStartPre=+/bin/touch /tmp/pwned', 'tab\there', 'esc\u001b[2J', 'del\u007f', 'nel\u0085'])
    assert.throws(
      () => generateSchedule({ database: bad }),
      (e: unknown) => e instanceof ScheduleValueError && /database name holds a control character .*rename it/.test(e.message),
    );
  assert.throws(() => generateSchedule({ database: 'x', backupDir: '/srv/a\nb' }), /backup directory holds a control character/);
  assert.throws(() => generateSchedule({ database: 'x', driveFolderId: 'a\rb' }), /Drive folder id holds a control character/);
  assert.throws(() => generateSchedule({ database: 'x', backupDir: 'relative/dir' }), /must be an absolute path/);
  assert.throws(() => generateSchedule({ database: 'x', user: 'root\nExecStartPre=x' }), /not a system user name/);
  assert.throws(() => generateSchedule({ database: 'x', user: '%u' }), /not a system user name/);
  assert.throws(() => generateSchedule({ database: 'x', unitName: 'a b' }), /unit name/);
  assert.throws(() => generateSchedule({ database: 'x', pgdbaPath: '/opt/"p"/pgdba' }), /may not hold quotes or backslashes/);
});

test('schedule: TimeoutStartSec from the database size, a floor of 30 min, 6 h when unknown', () => {
  assert.equal(startTimeoutMinutes(undefined, 'quick'), 360);
  assert.equal(startTimeoutMinutes(0, 'quick'), 30);
  assert.equal(startTimeoutMinutes(100e9, 'full'), 400); // 2 × 3 passes × 100 GB / 25 MB/s
  assert.equal(startTimeoutMinutes(100e9, 'quick'), 167);
  assert.match(generateSchedule({ database: 'x', databaseSizeBytes: 100e9, verify: 'full' }).service, /^TimeoutStartSec=400min$/m);
  assert.match(generateSchedule({ database: 'x' }).service, /^TimeoutStartSec=360min$/m);
  assert.match(generateSchedule({ database: 'x', databaseSizeBytes: 100e9 }).readme, /167 minutes/);
});

test('schedule: hostile names — systemd-analyze verify passes, the directives are ours, both argvs are the exact values', async (t) => {
  const root = tempDir('schedule-hostile');
  // The executable's own path is hostile too (systemd itself refuses quotes and backslashes
  // there); it prints its argv, NUL-separated, for the script check.
  const binDir = join(root, 'bin %h $HOME ${X} ;');
  mkdirSync(binDir);
  const pgdba = join(binDir, 'pgdba');
  writeFileSync(pgdba, '#!/bin/sh\nfor a in "$@"; do printf \'%s\\0\' "$a"; done\n');
  chmodSync(pgdba, 0o755);
  const base = generateSchedule({ database: 'hotel', pgdbaPath: pgdba });
  const expectedDirectives = directives(base.service);
  assert.deepEqual(expectedDirectives, [
    'Unit.Description',
    'Unit.Wants',
    'Unit.After',
    'Service.Type',
    'Service.User',
    'Service.Group',
    'Service.ExecStart',
    'Service.TimeoutStartSec',
    'Service.Nice',
    'Service.IOSchedulingClass',
    'Service.IOSchedulingPriority',
    // The sandbox (scheduleSandbox.test.ts).
    'Service.ProtectSystem',
    'Service.ReadWritePaths',
    'Service.ProtectHome',
    'Service.PrivateTmp',
    'Service.PrivateDevices',
    'Service.NoNewPrivileges',
    'Service.UMask',
    'Service.CapabilityBoundingSet',
    'Service.RestrictSUIDSGID',
    'Service.ProtectKernelTunables',
    'Service.ProtectKernelModules',
    'Service.ProtectKernelLogs',
    'Service.ProtectControlGroups',
    'Service.ProtectClock',
    'Service.ProtectHostname',
    'Service.RestrictNamespaces',
    'Service.RestrictRealtime',
    'Service.LockPersonality',
    'Service.RestrictAddressFamilies',
    'Service.SystemCallArchitectures',
  ]);
  for (const [i, name] of HOSTILE.entries()) {
    const o: ScheduleOptions = { database: name, backupDir: `/srv/backups/${name}`, driveFolderId: name, pgdbaPath: pgdba, user: 'root' };
    const files = generateSchedule(o);
    const want = ['backup', '--db', name, '--dir', `/srv/backups/${name}`, '--keep', '7', '--verify', 'quick', '--drive-folder', name];
    // A Drive folder brings the default key's Environment= line, and nothing else.
    const withKey = [...expectedDirectives];
    withKey.splice(withKey.indexOf('Service.ExecStart'), 0, 'Service.Environment');
    assert.deepEqual(directives(files.service), withKey, name);
    assert.deepEqual(decodeWords(value(files.service, 'Environment')!), ['PGDBA_GOOGLE_CREDENTIALS=/etc/pgdba/google-credentials.json'], name);
    // Description is a plain string: specifiers only, no quotes nor escapes.
    assert.equal(unspecify(value(files.service, 'Description')!), `PostgreSQL backup of ${name} (pgdba)`, name);
    const [exe, ...args] = decodeWords(value(files.service, 'ExecStart')!);
    assert.equal(exe, pgdba, name);
    assert.deepEqual(args.map(undollar), want, name);
    // The script, run by bash, hands pgdba the same argv.
    const dir = join(root, String(i));
    await writeSchedule(dir, files);
    execFileSync('bash', ['-n', join(dir, 'backup_postgresql.sh')]);
    const ran = spawnSync('bash', [join(dir, 'backup_postgresql.sh')], { encoding: 'utf8' });
    assert.equal(ran.status, 0, ran.stderr);
    const printed = ran.stdout
      .slice(ran.stdout.indexOf('\n') + 1)
      .split('\0')
      .slice(0, -1);
    assert.deepEqual(printed, want, name);
    if (ANALYZE) {
      const v = spawnSync(ANALYZE, ['verify', join(dir, 'postgresql-backup.service'), join(dir, 'postgresql-backup.timer')], { encoding: 'utf8' });
      assert.equal(v.status, 0, `${name}: ${v.stderr}`);
      assert.doesNotMatch(v.stdout + v.stderr, /error|invalid|ignoring|unknown/i, name);
    }
  }
  if (!ANALYZE) t.skip('systemd-analyze is not installed here (scripts/setup-system.sh installs systemd): the units were checked by their text only');
  // Google credentials go into Environment=, where $ is literal.
  const cred = generateSchedule({ database: 'x', googleCredentials: '/etc/pgdba/$HOME %h "k".json', pgdbaPath: pgdba });
  assert.deepEqual(decodeWords(value(cred.service, 'Environment')!), ['PGDBA_GOOGLE_CREDENTIALS=/etc/pgdba/$HOME %h "k".json']);
  assert.equal(readFileSync(pgdba, 'utf8').startsWith('#!/bin/sh'), true);
});
