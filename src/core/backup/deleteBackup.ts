// Deleting one local backup on a person's request: only a file named like a backup, only inside
// the backup directory, never while it is being verified; its manifest goes with it.
import { unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { manifestPathFor, parseBackupName } from './naming';
import { verificationRunning } from './verify';

export async function deleteLocalBackup(path: string, backupDir: string): Promise<void> {
  const abs = resolve(path);
  if (!parseBackupName(abs)) throw new Error(`${abs} is not named like a backup (<db>-YYYY-MM-DD_HH-MM-SS.dump[.gz|.zst]): not deleting it`);
  if (dirname(abs) !== resolve(backupDir)) throw new Error(`${abs} is not in the backup directory ${resolve(backupDir)}: not deleting it`);
  if (await verificationRunning(abs)) throw new Error(`${abs} is being verified: wait until the verification ends`);
  await unlink(abs);
  await unlink(manifestPathFor(abs)).catch(() => undefined);
}
