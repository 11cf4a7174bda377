// Backup logic that needs no server: names, the compression plan, the version check, retention
// rules, the systemd schedule (checked by systemd-analyze where it exists).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupFileName, derivedDatabaseName, parseBackupName, scratchDatabaseName, lockPathFor, manifestPathFor } from '../../../../src/core/backup/naming';
import { decompressCommand } from '../../../../src/core/backup/compression';
import { planCompression } from '../../../../src/core/backup/compression';
import { dumpVersionProblem, parseToolVersion } from '../../../../src/core/pgtools/tools';
import { applyRetention } from '../../../../src/core/backup/retention';
import { generateSchedule, writeSchedule } from '../../../../src/core/backup/schedule';
import { receivedFromRange } from '../../../../src/core/backup/driveUpload';

test("names: the seed's naming, parsed back; other files are not backups", () => {
  const at = new Date(2025, 0, 2, 3, 4, 5);
  assert.equal(backupFileName('rhthotels', at, 'zstd'), 'rhthotels-2025-01-02_03-04-05.dump.zst');
  assert.equal(backupFileName('rhthotels', at, 'none'), 'rhthotels-2025-01-02_03-04-05.dump');
  const seed = parseBackupName('/var/backups/postgresql/rhthotels-2025-01-02_03-04-05.dump.gz')!;
  assert.equal(seed.database, 'rhthotels');
  assert.equal(seed.outer, 'gzip');
  assert.equal(seed.takenAt.getTime(), at.getTime());
  assert.equal(parseBackupName('my-db-2025-01-02_03-04-05.dump')?.database, 'my-db');
  for (const n of ['notes.txt', 'x-2025-01-02.dump', 'x-2025-01-02_03-04-05.dump.bz2', 'x-2025-01-02_03-04-05.dump.zst.manifest.json'])
    assert.equal(parseBackupName(n), undefined, n);
  assert.throws(() => backupFileName('a/b', at, 'none'));
  assert.match(scratchDatabaseName('rhthotels', at), /^rhthotels_verify_20250102_030405$/);
  assert.ok(scratchDatabaseName('x'.repeat(80), at).length <= 63);
});

test('names: the n-th backup of a second is -n after the time, parsed back; control characters refused in words', () => {
  const at = new Date(2026, 11, 1, 9, 36, 33);
  assert.equal(backupFileName('hotel', at, 'zstd', 2), 'hotel-2026-12-01_09-36-33-2.dump.zst');
  assert.equal(backupFileName('hotel', at, 'none', 1), 'hotel-2026-12-01_09-36-33.dump');
  const second = parseBackupName('hotel-2026-12-01_09-36-33-2.dump.zst')!;
  assert.deepEqual([second.database, second.sequence, second.outer, second.takenAt.getTime()], ['hotel', 2, 'zstd', at.getTime()]);
  assert.equal(parseBackupName('hotel-2026-12-01_09-36-33.dump')?.sequence, 1);
  // A database whose own name ends like a time is still that database.
  assert.equal(parseBackupName('a-2025-01-02_03-04-05-2026-12-01_09-36-33-3.dump')?.database, 'a-2025-01-02_03-04-05');
  for (const bad of ['night\nly', 'tab\there', 'bell\x07', 'del\x7f'])
    assert.throws(
      () => backupFileName(bad, at, 'none'),
      (e: Error) => /has a control character/.test(e.message) && !/[\n\t\x07\x7f]/.test(e.message),
      JSON.stringify(bad),
    );
});

test('derived database names stay within 63 bytes, cut at a character', () => {
  const long = 'é'.repeat(31); // 62 bytes
  const d = derivedDatabaseName(long, '_restoring_20261201_093633_ab12');
  assert.ok(Buffer.byteLength(d) <= 63, d);
  assert.ok(d.endsWith('_restoring_20261201_093633_ab12') && d.startsWith('éé'));
  assert.doesNotMatch(d, /\ufffd/);
  assert.equal(derivedDatabaseName('😀'.repeat(20), '_x').length % 2, 0, 'no half surrogate pair');
  assert.equal(derivedDatabaseName('hotel', '_verify_1'), 'hotel_verify_1');
});

test('decompression: "--" before the file, so a file named -h… is a file', () => {
  assert.deepEqual(decompressCommand('zstd', { zstd: '/usr/bin/zstd' }, '-h-x.dump.zst')?.args.slice(-2), ['--', '-h-x.dump.zst']);
  assert.deepEqual(decompressCommand('gzip', { gzip: '/usr/bin/gzip' }, '-h-x.dump.gz')?.args.slice(-2), ['--', '-h-x.dump.gz']);
});

test('compression: pg_dump 16+ zstd itself; 15 pipes -Z0 through zstd -T<cpus>; no zstd: gzip level 1', () => {
  assert.deepEqual(planCompression(16, '/usr/bin/zstd', 2).pgDumpArgs, ['--compress=zstd:1']);
  assert.equal(planCompression(17, undefined, 2).method, 'pg_dump-zstd');
  const p15 = planCompression(15, '/usr/bin/zstd', 4);
  assert.equal(p15.method, 'zstd-pipe');
  assert.deepEqual(p15.pgDumpArgs, ['-Z0']);
  assert.deepEqual(p15.pipe?.args, ['-1', '-T4', '-q', '-c']);
  assert.equal(p15.outer, 'zstd');
  const g = planCompression(15, undefined, 2);
  assert.equal(g.method, 'pg_dump-gzip');
  assert.match(g.why, /gzip level 1/);
  assert.throws(() => planCompression(15, undefined, 2, 'zstd'), /install the zstd package/);
});

test('version check: pg_dump older than the server is refused with what to install', () => {
  assert.deepEqual(parseToolVersion('pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)'), { major: 15, text: '15.18' });
  assert.equal(
    dumpVersionProblem('pg_dump', 15, 16),
    'pg_dump 15 cannot dump a PostgreSQL 16 server: install postgresql-client-16 or set pgdba.pgBinDir / --pg-bin-dir',
  );
  assert.equal(dumpVersionProblem('pg_dump', 17, 16), undefined);
});

test('Drive Range header: bytes received', () => {
  assert.equal(receivedFromRange('bytes=0-262143'), 262144);
  assert.equal(receivedFromRange(null), 0);
});

test('retention: last N per database; newest verified, locked and foreign files survive', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-retention-'));
  try {
    const names: string[] = [];
    for (let d = 1; d <= 9; d++) {
      const n = `hotel-2025-01-0${d}_02-00-00.dump${d % 3 === 0 ? '.gz' : '.zst'}`;
      writeFileSync(join(dir, n), 'x');
      names.push(n);
    }
    writeFileSync(join(dir, 'other-2025-01-01_02-00-00.dump'), 'x');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    writeFileSync(join(dir, 'hotel-latest.dump'), 'x');
    // Day 1 is the only verified backup; day 2 is being verified by a live process (us).
    writeFileSync(
      manifestPathFor(join(dir, names[0]!)),
      JSON.stringify({ pgdbaManifest: 1, file: names[0], database: 'hotel', verification: { kind: 'quick', ok: true, at: '', durationMs: 1 } }),
    );
    writeFileSync(lockPathFor(join(dir, names[1]!)), String(process.pid));
    // Day 3 has a dead lock (no such process): it may go.
    writeFileSync(lockPathFor(join(dir, names[2]!)), '999999999');
    const plan = await applyRetention(dir, 3, { database: 'hotel' });
    assert.deepEqual(plan.remove.map((b) => b.file).sort(), names.slice(2, 6).sort());
    assert.deepEqual(plan.spared.map((s) => s.why).sort(), ['being verified', 'newest verified backup']);
    const left = readdirSync(dir).sort();
    for (const n of [...names.slice(6), names[0]!, names[1]!, 'other-2025-01-01_02-00-00.dump', 'notes.txt', 'hotel-latest.dump'])
      assert.ok(left.includes(n), n);
    for (const n of names.slice(2, 6)) assert.ok(!left.includes(n), n);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("schedule: the seed's timer, a script calling pgdba, README; systemd-analyze verify passes", async (t) => {
  const files = generateSchedule({ database: "rht'hotels", driveFolderId: '1Yf-69S4xFV7wRavBnybcef8Q539uidc0', keep: 7, user: 'root' });
  assert.match(files.timer, /^OnCalendar=\*-\*-\* 02:00:00$/m);
  assert.match(files.timer, /^OnBootSec=15min$/m);
  assert.match(files.timer, /^Persistent=true$/m);
  assert.match(
    files.script,
    /exec '\/usr\/local\/bin\/pgdba' backup --db "\$DB_NAME" --dir "\$BACKUP_DIR" --keep 7 --verify quick --drive-folder "\$GDRIVE_FOLDER_ID"/,
  );
  assert.match(files.script, /DB_NAME='rht'\\''hotels'/);
  assert.doesNotMatch(files.script, /PGPASSWORD=/);
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-schedule-'));
  try {
    const script = join(dir, 'backup_postgresql.sh');
    // The service runs pgdba itself: systemd-analyze checks that the executable exists.
    const pgdba = join(dir, 'pgdba');
    writeFileSync(pgdba, '#!/bin/sh\n', { mode: 0o755 });
    const written = await writeSchedule(dir, generateSchedule({ database: 'hotel', scriptPath: script, pgdbaPath: pgdba, user: 'root' }));
    assert.equal(written.length, 4);
    const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));
    if (!analyze) return t.skip('systemd-analyze is not installed here: the units were only checked by their text');
    execFileSync('bash', ['-n', script]);
    const out = execFileSync(analyze, ['verify', join(dir, 'postgresql-backup.service'), join(dir, 'postgresql-backup.timer')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.doesNotMatch(out, /error|invalid/i);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('schedule --out a file: words that name it, not EEXIST; nothing written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-schedule-'));
  try {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    for (const out of [file, join(file, 'sub')])
      await assert.rejects(writeSchedule(out, generateSchedule({ database: 'hotel' })), (e: Error) => {
        assert.equal(e.message, `${file} is a file, not a directory: choose a directory for the schedule files`);
        return true;
      });
    assert.deepEqual(readdirSync(dir), ['a-file']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
