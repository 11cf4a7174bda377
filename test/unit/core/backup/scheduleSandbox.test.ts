// The generated service runs as a dedicated user in systemd's sandbox: it writes only the backup
// directory, reads only its .pgpass and the Google key (bound back in when they live under a home
// ProtectHome= hides), and systemd itself accepts the unit with hostile names in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SERVICE_USER, generateSchedule, writeSchedule, ScheduleValueError } from '../../../../src/core/backup/schedule';
import { unitUser } from '../../../../src/core/doctor/account';
import { localHost } from '../../../../src/core/host/localHost';
import { tempDir } from '../../../support/tempDir';

const dir = tempDir('schedule-sandbox');
const lines = (text: string) => text.split('\n');
const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));

test('by default: User= and Group= the dedicated user, the sandbox, ReadWritePaths= the backup directory alone, the server without a password', () => {
  const f = generateSchedule({ database: 'hotel', backupDir: '/var/backups/postgresql', connection: { host: 'localhost', port: 5432, user: 'backup' } });
  const s = lines(f.service);
  assert.equal(DEFAULT_SERVICE_USER, 'pgdba-backup');
  assert.equal(f.user, 'pgdba-backup');
  for (const l of [
    'User=pgdba-backup',
    'Group=pgdba-backup',
    'ProtectSystem=strict',
    'ReadWritePaths=/var/backups/postgresql',
    'ProtectHome=yes',
    'PrivateTmp=yes',
    'NoNewPrivileges=yes',
    'UMask=0077',
    'CapabilityBoundingSet=',
    'Environment=PGDBA_URL=postgres://backup@localhost:5432/hotel',
  ])
    assert.ok(s.includes(l), `${l} in\n${f.service}`);
  assert.equal(s.filter((l) => l.startsWith('ReadWritePaths=')).length, 1);
  assert.ok(!s.some((l) => l.startsWith('BindReadOnlyPaths=')), 'nothing to bind: the home is /var/lib/pgdba-backup');
  assert.match(f.script, /^export PGDBA_URL='postgres:\/\/backup@localhost:5432\/hotel'$/m);
  // The README installs it, in this order.
  const steps = [
    'npm install -g --prefix /usr/local ./pgdba-cli-',
    'useradd --system --home-dir',
    'install -d -m 0750 -o pgdba-backup',
    'sudoedit',
    'pgdba doctor',
    'systemd-analyze verify',
    'systemctl enable --now',
  ];
  const at = steps.map((step) => f.readme.indexOf(step));
  assert.ok(
    at.every((i) => i >= 0),
    `every step is in the README: ${JSON.stringify(at)}`,
  );
  assert.deepEqual(
    [...at].sort((a, b) => a - b),
    at,
    'in order',
  );
  assert.match(f.readme, /localhost:5432:hotel:backup:THE_PASSWORD/);
});

test('a .pgpass and a key under hidden homes are bound back read-only; the names quoted; systemd-analyze verify accepts it', async (t) => {
  const out = join(dir, 'binds');
  const pgdba = join(dir, 'pgdba');
  writeFileSync(pgdba, '#!/bin/sh\n', { mode: 0o755 });
  const f = generateSchedule({
    database: 'ho"tel $x %h',
    home: '/home/back up',
    googleCredentials: '/root/google key.json',
    driveFolderId: 'folder',
    backupDir: '/srv/pg backups',
    pgdbaPath: pgdba,
    scriptPath: join(out, 'backup_postgresql.sh'),
    connection: { host: 'localhost', port: 5432, user: 'backup' },
  });
  const s = lines(f.service);
  assert.ok(s.includes('ProtectHome=tmpfs'), f.service);
  assert.ok(s.includes('BindReadOnlyPaths="/home/back up/.pgpass" "/root/google key.json"'), f.service);
  assert.ok(s.includes('ReadWritePaths="/srv/pg backups"'), f.service);
  await writeSchedule(out, f);
  // The doctor reads the same unit's User= back.
  assert.equal(await unitUser(localHost, join(out, f.names.service)), 'pgdba-backup');
  if (!analyze) return t.skip('systemd-analyze is not installed here (apt systemd): the unit was only checked by its text');
  execFileSync('bash', ['-n', join(out, 'backup_postgresql.sh')]);
  const r = execFileSync(analyze, ['verify', join(out, f.names.service), join(out, f.names.timer)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.doesNotMatch(r, /error|invalid|unknown/i);
});

test('a home with a newline, or not absolute, is refused in words', () => {
  assert.throws(
    () => generateSchedule({ database: 'hotel', home: '/var/lib/x\nExecStartPre=/bin/sh' }),
    (e: Error) => e instanceof ScheduleValueError && /home holds a control character/.test(e.message),
  );
  assert.throws(() => generateSchedule({ database: 'hotel', home: 'var/lib/x' }), /must be an absolute path/);
});
