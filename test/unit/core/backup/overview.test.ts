// What the Backups node says (age, size, verification, the 26 h alert) and what Delete Backup may
// delete: core logic of the VS Code side, tested without VS Code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalBackup } from '../../../../src/core/backup/listing';
import { listLocalBackups } from '../../../../src/core/backup/listing';
import { lockPathFor, manifestPathFor } from '../../../../src/core/backup/naming';
import { DEFAULT_STALE_AFTER_HOURS, describeDriveBackup, describeLocalBackup, summarizeBackups } from '../../../../src/core/backup/overview';
import { deleteLocalBackup } from '../../../../src/core/backup/deleteBackup';

const NOW = new Date(2026, 10, 26, 12, 0, 0).getTime();
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();

function backup(over: Partial<LocalBackup> = {}): LocalBackup {
  return {
    path: '/b/shop-x.dump',
    file: 'shop-x.dump',
    database: 'shop',
    takenAt: hoursAgo(2),
    sizeBytes: 3 * 1024 * 1024,
    outer: 'none',
    origin: 'pgdba',
    verification: 'unverified',
    manifestState: 'ok',
    ...over,
  };
}

test('summary: count and age of the newest; no alert within 26 h', () => {
  assert.equal(DEFAULT_STALE_AFTER_HOURS, 26);
  const s = summarizeBackups([backup({ takenAt: hoursAgo(25.5) }), backup({ takenAt: hoursAgo(49) })], [], { now: NOW });
  assert.equal(s.count, 2);
  assert.equal(s.alert, undefined);
  assert.match(s.description, /^2 · newest 25 h 30 min ago$/);
});

test('summary: alert when the newest is older than 26 h, or when there is none; a Drive file counts as newest', () => {
  const old = summarizeBackups([backup({ takenAt: hoursAgo(27) })], [], { now: NOW });
  assert.match(old.alert ?? '', /older than 26 h/);
  assert.match(old.description, /^⚠/);
  assert.equal(summarizeBackups([], [], { now: NOW }).alert, 'no backup yet');
  const d = new Date(NOW - 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const driveName = `shop-${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}_${p(d.getHours())}-${p(d.getMinutes())}-${p(d.getSeconds())}.dump.zst`;
  const withDrive = summarizeBackups([backup({ takenAt: hoursAgo(30) })], [{ id: 'f1', name: driveName, size: 10 }], { now: NOW });
  assert.equal(withDrive.alert, undefined, 'the Drive copy of an hour ago is the newest');
  assert.match(summarizeBackups([backup({ takenAt: hoursAgo(5) })], [], { now: NOW, staleAfterHours: 4 }).alert ?? '', /older than 4 h/);
  assert.match(summarizeBackups([backup(), backup({ verification: 'failed' })], [], { now: NOW }).description, /1 failed verification/);
});

test('a backup line: database, age, size, ✓ / ✗ with the reason', () => {
  const ok = describeLocalBackup(
    backup({
      verification: 'verified',
      manifest: { pgdbaManifest: 1, file: 'shop-x.dump', database: 'shop', verification: { kind: 'full', ok: true, at: hoursAgo(1), durationMs: 5 } },
    }),
    NOW,
  );
  assert.match(ok.label, /^shop · \d{4}-\d\d-\d\d \d\d:\d\d$/);
  assert.equal(ok.description, '✓ full · 2 h 0 min ago · 3.00 MB');
  assert.equal(ok.state, 'verified');
  const bad = describeLocalBackup(backup({ verification: 'failed', verificationReason: 'the archive is damaged: unexpected EOF' }), NOW);
  assert.equal(bad.description, '✗ failed · 2 h 0 min ago · 3.00 MB · the archive is damaged: unexpected EOF');
  assert.match(bad.tooltip, /FAILED|never verified/);
  assert.match(bad.tooltip, /made outside pgdba/);
  assert.match(describeLocalBackup(backup(), NOW).description, /not verified$/);
  const drive = describeDriveBackup({ id: 'abc', name: 'notes.txt', size: 2048, createdTime: hoursAgo(3) }, NOW);
  assert.equal(drive.label, 'notes.txt');
  assert.match(drive.description, /^3 h 0 min ago · 2.00 kB$/);
});

test('delete: a backup and its manifest; never another name, another folder, or a backup being verified', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-del-'));
  const other = mkdtempSync(join(tmpdir(), 'pgdba-del-other-'));
  try {
    const file = join(dir, 'shop-2026-11-26_01-00-00.dump.gz');
    writeFileSync(file, 'x');
    writeFileSync(manifestPathFor(file), JSON.stringify({ pgdbaManifest: 1, file: 'x', database: 'shop' }));
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    await assert.rejects(deleteLocalBackup(join(dir, 'notes.txt'), dir), /not named like a backup/);
    await assert.rejects(deleteLocalBackup(file, other), /not in the backup directory/);
    writeFileSync(lockPathFor(file), String(process.pid)); // this process is alive: "being verified"
    await assert.rejects(deleteLocalBackup(file, dir), /being verified/);
    assert.equal((await listLocalBackups(dir))[0]?.verification, 'running');
    rmSync(lockPathFor(file));
    await deleteLocalBackup(file, dir);
    assert.ok(!existsSync(file) && !existsSync(manifestPathFor(file)));
    assert.ok(existsSync(join(dir, 'notes.txt')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  }
});

test('a cancelled verification is no verdict: nothing written to the manifest, lock removed', async (t) => {
  const { findPgTool } = await import('../../../../src/core/pgtools/tools');
  const has = await findPgTool('pg_restore').then(
    () => true,
    () => false,
  );
  if (!has) return t.skip('pg_restore is not installed (postgresql-client): the quick check runs it');
  const { verifyBackup } = await import('../../../../src/core/backup/verify');
  const { readManifest } = await import('../../../../src/core/backup/manifest');
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-vcancel-'));
  try {
    const file = join(dir, 'shop-2026-11-26_01-00-00.dump');
    writeFileSync(file, 'PGDMP not really');
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(verifyBackup({ file, signal: ac.signal }), /cancelled/);
    assert.equal(await readManifest(file), undefined, 'no verification recorded');
    assert.ok(!existsSync(lockPathFor(file)));
    const v = await verifyBackup({ file }); // the same file, not cancelled: a real verdict
    assert.equal(v.ok, false);
    assert.equal((await readManifest(file))?.verification?.ok, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a truncated manifest is reported as corrupt, never as missing: listing, tree line, health; never overwritten', async () => {
  const { inspectManifest, readManifest, updateManifest } = await import('../../../../src/core/backup/manifest');
  const { backupFindings } = await import('../../../../src/core/health/backupCheck');
  const { readFileSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-corrupt-'));
  try {
    const file = join(dir, 'shop-2026-11-26_01-00-00.dump.zst');
    writeFileSync(file, 'x');
    const whole = JSON.stringify({
      pgdbaManifest: 1,
      file: 'shop-2026-11-26_01-00-00.dump.zst',
      database: 'shop',
      verification: { kind: 'quick', ok: true, at: hoursAgo(1), durationMs: 5 },
    });
    const truncated = whole.slice(0, 40);
    writeFileSync(manifestPathFor(file), truncated);
    const read = await inspectManifest(file);
    assert.equal(read.state, 'corrupt');
    assert.match(read.state === 'corrupt' ? read.reason : '', /not valid JSON.*truncated or damaged/);
    await assert.rejects(readManifest(file), /the manifest is corrupt/);
    const [b] = await listLocalBackups(dir);
    assert.equal(b?.manifestState, 'corrupt');
    assert.match(b?.manifestProblem ?? '', /not valid JSON/);
    const line = describeLocalBackup(b, NOW);
    assert.equal(line.state, 'corrupt');
    assert.match(line.description, /^⚠ manifest corrupt · /);
    assert.match(line.tooltip, /manifest corrupt: .*not valid JSON/);
    assert.doesNotMatch(line.tooltip, /made outside pgdba|no manifest/);
    const health = backupFindings(dir, 'shop', [b], new Date(NOW));
    assert.ok(
      health.some((f) => f.observed === 'manifest corrupt' && f.level === 'warning'),
      JSON.stringify(health.map((f) => f.observed)),
    );
    assert.ok(!health.some((f) => f.observed === 'unverified'));
    await assert.rejects(
      updateManifest(file, { file: 'x', database: 'shop' }, { verification: { kind: 'quick', ok: true, at: hoursAgo(0), durationMs: 1 } }),
      /corrupt/,
    );
    assert.equal(readFileSync(manifestPathFor(file), 'utf8'), truncated, 'the damaged manifest is left as it was');
    writeFileSync(manifestPathFor(file), JSON.stringify({ hello: 'world' }));
    assert.equal((await listLocalBackups(dir))[0]?.manifestState, 'corrupt', 'JSON, but not a pgdba manifest');
    rmSync(manifestPathFor(file));
    assert.equal((await listLocalBackups(dir))[0]?.manifestState, 'missing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
