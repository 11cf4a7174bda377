// Keeping the last N backups per database in a directory (the seed kept 7). Never deleted: the
// newest verified backup, a backup being verified, anything not named like a backup.
import { unlink } from 'node:fs/promises';
import { listLocalBackups, newestFirst, type LocalBackup } from './listing';
import { manifestPathFor } from './naming';
import { verificationRunning } from './verify';

export interface RetentionPlan {
  keep: LocalBackup[];
  remove: LocalBackup[];
  /** Why a backup past N was kept. */
  spared: { file: string; why: string }[];
}

function planRetention(backups: readonly LocalBackup[], keepLast: number): RetentionPlan {
  const n = Math.max(1, Math.floor(keepLast));
  const plan: RetentionPlan = { keep: [], remove: [], spared: [] };
  const byDb = new Map<string, LocalBackup[]>();
  for (const b of backups) byDb.set(b.database, [...(byDb.get(b.database) ?? []), b]);
  for (const list of byDb.values()) {
    const sorted = [...list].sort(newestFirst);
    const newestVerified = sorted.find((b) => b.verification === 'verified');
    sorted.forEach((b, i) => {
      if (i < n) return plan.keep.push(b);
      if (b === newestVerified) {
        plan.spared.push({ file: b.file, why: 'newest verified backup' });
        return plan.keep.push(b);
      }
      if (b.verification === 'running') {
        plan.spared.push({ file: b.file, why: 'being verified' });
        return plan.keep.push(b);
      }
      plan.remove.push(b);
    });
  }
  return plan;
}

export async function applyRetention(dir: string, keepLast: number, opts: { database?: string; dryRun?: boolean } = {}): Promise<RetentionPlan> {
  const plan = planRetention(await listLocalBackups(dir, opts.database), keepLast);
  if (!opts.dryRun) {
    for (const b of plan.remove) {
      if (await verificationRunning(b.path)) {
        plan.spared.push({ file: b.file, why: 'being verified' }); // started since the listing
        continue;
      }
      await unlink(b.path);
      await unlink(manifestPathFor(b.path)).catch(() => undefined);
    }
  }
  return plan;
}
