// The backups' growth (least squares over the recent dumps' sizes) and the days left it gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LocalBackup } from '../../../../src/core/backup/listing';
import { backupTrend, daysLeft } from '../../../../src/core/health/diskTrend';

const NOW = new Date('2026-06-30T03:00:00Z');
const DAY = 86_400_000;

function backup(daysAgo: number, sizeBytes: number, dumpBytes?: number): LocalBackup {
  const at = new Date(NOW.getTime() - daysAgo * DAY).toISOString();
  return {
    path: `/b/hotel_${daysAgo}.dump`,
    file: `hotel_${daysAgo}.dump`,
    database: 'hotel',
    takenAt: at,
    sizeBytes,
    outer: 'none',
    origin: dumpBytes === undefined ? 'other' : 'pgdba',
    verification: 'unverified',
    manifestState: dumpBytes === undefined ? 'missing' : 'ok',
    ...(dumpBytes === undefined
      ? {}
      : { manifest: { pgdbaManifest: 1 as const, file: `hotel_${daysAgo}.dump`, database: 'hotel', dump: { sizeBytes: dumpBytes, startedAt: at } as never } }),
  };
}

test('a steady growth: the slope in bytes per day, the newest size, the backups kept', () => {
  const t = backupTrend([backup(0, 5000), backup(1, 4000), backup(2, 3000), backup(3, 2000)], NOW);
  assert.ok(t);
  assert.equal(Math.round(t.bytesPerDay), 1000);
  assert.equal(t.latestBytes, 5000);
  assert.equal(t.kept, 4);
  assert.equal(daysLeft(100_000, t.bytesPerDay), 100);
});

test("the manifest's dump size wins over the file's size; old backups are left out of the fit", () => {
  const t = backupTrend([backup(0, 1, 300), backup(1, 1, 200), backup(2, 1, 100), backup(200, 1, 99_999)], NOW);
  assert.equal(Math.round(t!.bytesPerDay), 100);
  assert.equal(t!.points, 3);
});

test('too few backups, or all on one day, give no trend; shrinking gives no days left', () => {
  assert.equal(backupTrend([backup(0, 5), backup(1, 4)], NOW), undefined);
  assert.equal(backupTrend([backup(0, 5), backup(0.1, 4), backup(0.2, 3)], NOW), undefined);
  const down = backupTrend([backup(0, 1000), backup(1, 2000), backup(2, 3000)], NOW);
  assert.ok(down && down.bytesPerDay < 0);
  assert.equal(daysLeft(100, down.bytesPerDay), undefined);
});
