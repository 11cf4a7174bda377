// `pgdba backups`: local backups (pgdba's and the seed's .dump.gz) and, with --drive-folder, the
// Drive folder's; `pgdba schedule`: the systemd service, timer and script for the nightly run.
import { terminalText } from '../core/terminalText';
import { listLocalBackups, newestAgeHours, type LocalBackup } from '../core/backup/listing';
import { listDriveFolder, openDrive, type DriveFile } from '../core/backup/driveClient';
import { generateSchedule, writeSchedule } from '../core/backup/schedule';
import { BackupUsageError, defaultBackupDir, driveAuthFrom, formatBytes, intOption, parseArgs } from './backupArgs';

const BACKUPS_USAGE = `usage: pgdba backups [--dir DIR] [--db NAME] [--drive-folder ID] [--format text|json]

Lists the backups in DIR (default $PGDBA_BACKUP_DIR or /var/backups/postgresql), newest first,
with their verification state; with --drive-folder, the folder's files too.
exit status: 0 listed (1 when the newest local backup is older than 26 hours), 2 error
`;

const SCHEDULE_USAGE = `usage: pgdba schedule --db NAME --out DIR [--dir BACKUP_DIR] [--drive-folder ID] [--keep N]
                      [--verify quick|full] [--user USER] [--pgdba PATH] [--google-credentials FILE]

Writes postgresql-backup.service, postgresql-backup.timer (daily 02:00, 15 min after boot when
missed), backup_postgresql.sh (calls pgdba backup) and README.md with install steps into DIR.
`;

function icon(b: LocalBackup): string {
  if (b.manifestState === 'corrupt') return '⚠';
  return b.verification === 'verified' ? '✓' : b.verification === 'failed' ? '✗' : b.verification === 'running' ? '…' : '·';
}

export async function backupsCommand(args: string[]): Promise<number> {
  try {
    const p = parseArgs(args, ['dir', 'db', 'drive-folder', 'format', 'google-credentials'], []);
    if (p.flags.has('help')) return (process.stdout.write(BACKUPS_USAGE), 0);
    const format = p.options.get('format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new BackupUsageError('--format must be text or json');
    const dir = p.options.get('dir') ?? defaultBackupDir();
    const local = await listLocalBackups(dir, p.options.get('db'));
    const folder = p.options.get('drive-folder');
    let drive: DriveFile[] | undefined;
    if (folder) drive = await listDriveFolder(await openDrive(driveAuthFrom(p)), folder);
    const age = newestAgeHours(local);
    const stale = age !== undefined && age > 26;
    if (format === 'json') {
      process.stdout.write(JSON.stringify({ dir, local, ...(drive ? { drive } : {}), newestAgeHours: age ?? null, stale }, null, 2) + '\n');
    } else {
      if (local.length === 0) process.stdout.write(`no backups in ${terminalText(dir)}\n`);
      for (const b of local) {
        const why = b.verificationReason ? `  (${b.verificationReason})` : '';
        const state =
          b.manifestState === 'corrupt'
            ? `manifest corrupt  (${b.manifestProblem ?? '?'})`
            : `${b.verification}${b.origin === 'other' ? '  [not made by pgdba]' : ''}${why}`;
        process.stdout.write(`${terminalText(`${icon(b)} ${b.file}  ${formatBytes(b.sizeBytes)}  ${state}`)}\n`);
      }
      if (stale) process.stdout.write(`warning: the newest backup is ${age.toFixed(0)} hours old\n`);
      for (const f of drive ?? [])
        process.stdout.write(`${terminalText(`☁ ${f.name}  ${f.size !== undefined ? formatBytes(f.size) : '?'}  md5 ${f.md5Checksum ?? '?'}`)}\n`);
    }
    return stale ? 1 : 0;
  } catch (e) {
    process.stderr.write(`pgdba backups: ${terminalText((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '')}\n`);
    return 2;
  }
}

export async function scheduleCommand(args: string[]): Promise<number> {
  try {
    const p = parseArgs(args, ['db', 'out', 'dir', 'drive-folder', 'keep', 'verify', 'user', 'pgdba', 'google-credentials'], []);
    if (p.flags.has('help')) return (process.stdout.write(SCHEDULE_USAGE), 0);
    const db = p.options.get('db');
    const out = p.options.get('out');
    if (!db || !out) throw new BackupUsageError('--db NAME and --out DIR are required');
    const verify = p.options.get('verify');
    if (verify !== undefined && verify !== 'quick' && verify !== 'full') throw new BackupUsageError('--verify must be quick or full');
    const files = generateSchedule({
      database: db,
      backupDir: p.options.get('dir'),
      driveFolderId: p.options.get('drive-folder'),
      keep: intOption(p, 'keep'),
      verify,
      user: p.options.get('user'),
      pgdbaPath: p.options.get('pgdba'),
      googleCredentials: p.options.get('google-credentials'),
    });
    for (const f of await writeSchedule(out, files)) process.stdout.write(`wrote ${f}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`pgdba schedule: ${terminalText((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '')}\n`);
    return 2;
  }
}
