// `pgdba backups`: local backups (pgdba's and the seed's .dump.gz) and, with --drive-folder, the
// Drive folder's; `pgdba schedule`: the systemd service, timer and script for the nightly run.
import { terminalJson, terminalText } from '../core/terminalText';
import { listLocalBackups, newestAgeHours, type LocalBackup } from '../core/backup/listing';
import { listDriveFolder, openDrive, type DriveFile } from '../core/backup/driveClient';
import { DEFAULT_SERVICE_USER, generateSchedule, writeSchedule } from '../core/backup/schedule';
import { explainConnectError } from '../core/db/connectError';
import { withClient, type PgConnection } from '../core/db/connection';
import { readDatabaseSize } from '../core/db/serverInfo';
import { CLI_ADVICE, connectionFrom } from './connection';
import { BackupUsageError, defaultBackupDir, driveAuthFrom, formatBytes, intOption, parseArgs } from './backupArgs';
import { hopFrom, SSH_OPTIONS, SSH_SWITCHES, SSH_USAGE } from './sshArgs';

const BACKUPS_USAGE = `usage: pgdba backups [--dir DIR] [--db NAME] [--drive-folder ID] [--format text|json]

Lists the backups in DIR (default $PGDBA_BACKUP_DIR or /var/backups/postgresql), newest first,
with their verification state; with --drive-folder, the folder's files too.
exit status: 0 listed (1 when the newest local backup is older than 26 hours), 2 error
`;

const SCHEDULE_USAGE = `usage: pgdba schedule --db NAME --out DIR [--dir BACKUP_DIR] [--drive-folder ID] [--keep N]
                      [--verify quick|full] [--user USER] [--home DIR] [--pgdba PATH]
                      [--google-credentials FILE] [--url postgres://…] [--ssh [USER@]HOST[:PORT]]

Writes postgresql-backup.service (runs pgdba backup), postgresql-backup.timer (daily 02:00, 15 min
after boot when missed), backup_postgresql.sh (the same command by hand) and README.md into DIR.
The README says how to install them on the server, step by step: the CLI package (npm install -g),
the service user, its .pgpass, the backup directory, pgdba doctor, the units, the timer.
The service runs as USER (default ${DEFAULT_SERVICE_USER}, home --home, default /var/lib/USER) in
systemd's sandbox: it may write the backup directory and nothing else, and read its .pgpass and the
Google key. --url is the server as the job reaches it (its password goes to .pgpass, never into the
unit); the service's TimeoutStartSec fits the database's size, read from that server; without it
the size is unknown and the service gets 6 hours.
Values with control characters (a newline in a database name) are refused.

options:
${SSH_USAGE}`;

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
      process.stdout.write(terminalJson({ dir, local, ...(drive ? { drive } : {}), newestAgeHours: age ?? null, stale }) + '\n');
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

/** The database's size on the server of --url, within the usual deadlines; a failure says why, in words. */
async function databaseSize(c: PgConnection, db: string): Promise<number | undefined> {
  try {
    return await withClient(c, (client) => readDatabaseSize(client, db), { queryMs: 30_000 });
  } catch (e) {
    throw new Error(explainConnectError(e, c, CLI_ADVICE));
  }
}

export async function scheduleCommand(args: string[]): Promise<number> {
  try {
    const p = parseArgs(
      args,
      ['db', 'out', 'dir', 'drive-folder', 'keep', 'verify', 'user', 'home', 'pgdba', 'google-credentials', 'url', ...SSH_OPTIONS],
      [...SSH_SWITCHES],
    );
    if (p.flags.has('help')) return (process.stdout.write(SCHEDULE_USAGE), 0);
    const db = p.options.get('db');
    const out = p.options.get('out');
    if (!db || !out) throw new BackupUsageError('--db NAME and --out DIR are required');
    const verify = p.options.get('verify');
    if (verify !== undefined && verify !== 'quick' && verify !== 'full') throw new BackupUsageError('--verify must be quick or full');
    const url = p.options.get('url');
    const hop = hopFrom(p);
    if (hop && url === undefined) throw new BackupUsageError('--ssh needs --url: it reaches the server whose database size the service is sized for');
    const conn = url === undefined ? undefined : await connectionFrom(url, undefined, process.env, hop);
    const databaseSizeBytes = conn === undefined ? undefined : await databaseSize(conn, db);
    const files = generateSchedule({
      database: db,
      ...(conn ? { connection: { host: conn.host, port: conn.port, user: conn.user, ...(conn.sslmode ? { sslmode: conn.sslmode } : {}) } } : {}),
      ...(databaseSizeBytes !== undefined ? { databaseSizeBytes } : {}),
      home: p.options.get('home'),
      backupDir: p.options.get('dir'),
      driveFolderId: p.options.get('drive-folder'),
      keep: intOption(p, 'keep'),
      verify,
      user: p.options.get('user'),
      pgdbaPath: p.options.get('pgdba'),
      googleCredentials: p.options.get('google-credentials'),
    });
    const written = await writeSchedule(out, files);
    for (const f of written) process.stdout.write(`wrote ${terminalText(f)}\n`);
    process.stdout.write(`README.md says how to install them on the server: the CLI package, the user, its .pgpass, pgdba doctor, the units, the timer\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`pgdba schedule: ${terminalText((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '')}\n`);
    return 2;
  }
}
