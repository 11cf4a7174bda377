// `pgdba backup`, `pgdba restore`, `pgdba verify`: the core's backup jobs for terminals and the
// nightly systemd service. Exit status: 0 done, 1 a verification found the backup bad, 2 usage
// or a failed job — with one line on stderr saying why.
import { terminalText } from '../core/terminalText';
import { basename } from 'node:path';
import type { CompressionChoice } from '../core/backup/compression';
import { openDrive } from '../core/backup/driveClient';
import { runBackupJob } from '../core/backup/job';
import { restoreBackup } from '../core/backup/restore';
import { verifyBackup } from '../core/backup/verify';
import { CorruptManifestError } from '../core/backup/manifest';
import { parseBackupName } from '../core/backup/naming';
import { errorText } from '../core/db/connectError';
import { BackupUsageError, defaultBackupDir, driveAuthFrom, formatBytes, intOption, parseArgs } from './backupArgs';
import { CLI_ADVICE, connectionFrom } from './connection';
import { hopFrom, SSH_OPTIONS, SSH_SWITCHES, SSH_USAGE } from './sshArgs';

const BACKUP_USAGE = `usage: pgdba backup --db NAME [--dir DIR] [--group G] [--drive-folder ID] [--keep N] [--verify quick|full]

Dumps NAME with pg_dump (custom format, zstd) to DIR/NAME-YYYY-MM-DD_HH-MM-SS.dump[.zst] (-2, -3…
after the time for another backup of that second) with a manifest beside it; optionally verifies
it, uploads it to a Google Drive folder and keeps the last N backups of NAME in DIR (the seed
kept 7). Every run, failed and interrupted ones too, leaves DIR/NAME.last-run.json (start, end,
result, the error in words). The connection comes from PG* variables (PGHOST,
PGPORT, PGUSER, PGPASSWORD), ~/.pgpass, or --url postgres://user@host:port/db.

options:
  --dir DIR                  default $PGDBA_BACKUP_DIR or /var/backups/postgresql (made 0750)
  --group G                  backups readable by group G (0640); default: by you alone (0600)
  --drive-folder ID          upload to this Drive folder (credentials: --google-credentials FILE
                             or $PGDBA_GOOGLE_CREDENTIALS, a service-account key or OAuth file)
  --drive-keep N             keep the last N on Drive too (default: keep all, as the seed)
  --keep N                   keep the last N local backups of this database
  --verify quick|full        quick reads the whole archive; full restores it into a scratch db
  --compression auto|zstd|gzip|none
  --pg-bin-dir DIR           where pg_dump is (else PATH)
${SSH_USAGE}exit status: 0 done, 1 verification failed, 2 usage or the job failed, 130/143 interrupted
`;

const RESTORE_USAGE = `usage: pgdba restore FILE --to NAME [--jobs N] [--confirm NAME] [--no-owner]

Restores FILE (.dump, .dump.zst or the seed's .dump.gz) into a new database NAME, in parallel.
Over an existing NAME only with --confirm NAME, after a safety backup of it.
The server: PG* variables, ~/.pgpass or --url, and:
${SSH_USAGE}exit status: 0 done, 2 usage or the restore failed (the existing database is untouched), 130/143 interrupted
`;

const VERIFY_USAGE = `usage: pgdba verify FILE [--full]

Quick: SHA-256 against the manifest and the whole archive read by pg_restore. --full: restored
into a scratch database <db>_verify_<time>, row counts compared, scratch dropped.
The server of --full: PG* variables, ~/.pgpass or --url, and:
${SSH_USAGE}exit status: 0 the backup is good, 1 it is not (or its manifest is unreadable), 2 usage or an error that
says nothing about the backup (connection, tools, disk; the manifest keeps its record), 130/143 interrupted
`;

function progressLine(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${terminalText(text)}`);
}

/** A line of the report: it names files, databases and tables, so it is escaped for the terminal. */
function say(line: string): void {
  process.stdout.write(`${terminalText(line)}\n`);
}

function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}

function fail(cmd: string, e: unknown): number {
  endProgress();
  const msg = errorText(e, CLI_ADVICE).split('\n')[0];
  process.stderr.write(`pgdba ${cmd}: ${terminalText(msg ?? '')}\n`);
  return 2;
}

export async function backupCommand(args: string[], signal: AbortSignal): Promise<number> {
  try {
    const p = parseArgs(
      args,
      ['db', 'dir', 'group', 'drive-folder', 'drive-keep', 'keep', 'verify', 'url', 'compression', 'pg-bin-dir', 'google-credentials', ...SSH_OPTIONS],
      [...SSH_SWITCHES],
    );
    if (p.flags.has('help')) return (process.stdout.write(BACKUP_USAGE), 0);
    const db = p.options.get('db');
    if (!db) throw new BackupUsageError('--db NAME is required');
    if (p.positional.length) throw new BackupUsageError(`unexpected argument "${p.positional[0]}"`);
    const verifyOpt = p.options.get('verify');
    if (verifyOpt !== undefined && verifyOpt !== 'quick' && verifyOpt !== 'full') throw new BackupUsageError('--verify must be quick or full');
    const verify = verifyOpt ?? 'none';
    const compression = p.options.get('compression') ?? 'auto';
    if (!['auto', 'zstd', 'gzip', 'none'].includes(compression)) throw new BackupUsageError('--compression must be auto, zstd, gzip or none');
    const keep = intOption(p, 'keep');
    const driveKeep = intOption(p, 'drive-keep');
    const folder = p.options.get('drive-folder');
    const dir = p.options.get('dir') ?? defaultBackupDir();
    const target = await connectionFrom(p.options.get('url'), db, process.env, hopFrom(p));
    const tools = { pgBinDir: p.options.get('pg-bin-dir') };
    const r = await runBackupJob(
      {
        target,
        dir,
        group: p.options.get('group'),
        tools,
        compression: compression as CompressionChoice, // checked against the list above
        verify,
        keepLocal: keep,
        ...(folder ? { drive: { open: () => openDrive(driveAuthFrom(p)), folderId: folder, keep: driveKeep } } : {}),
        signal,
      },
      {
        onDumpProgress: (x) =>
          progressLine(`${x.phase}: ${x.tablesDumped}/${x.tablesTotal} tables, ${formatBytes(x.bytesWritten)}${x.current ? `, ${x.current}` : ''}`),
        onStep: () => endProgress(),
        onUploadProgress: (x) => progressLine(`uploading: ${formatBytes(x.bytesSent)} of ${formatBytes(x.total)}`),
      },
    );
    endProgress();
    for (const w of r.warnings) process.stderr.write(`pgdba backup: warning: ${terminalText(w)}\n`);
    const d = r.manifest.dump!;
    say(`${r.path}  ${formatBytes(d.sizeBytes)}  ${(d.durationMs / 1000).toFixed(1)} s  ${d.compression.method}  sha256 ${d.sha256.slice(0, 16)}…`);
    let code = 0;
    const v = r.verification;
    if (v) {
      say(`verification (${v.kind}): ${v.ok ? 'ok' : `FAILED: ${v.reason ?? ''}`}`);
      if (!v.ok) code = 1;
    }
    for (const b of r.retention?.remove ?? []) say(`removed: ${b.file}`);
    for (const s of r.retention?.spared ?? []) say(`kept past --keep: ${s.file} (${s.why})`);
    if (r.drive) {
      const up = r.drive.file;
      say(`uploaded to Drive folder ${r.drive.folderId}: ${up.name} (id ${up.id}, md5 ${up.md5Checksum ?? '?'})`);
      for (const f of r.drive.removed) say(`removed from Drive: ${f.name}`);
    }
    return code;
  } catch (e) {
    return fail('backup', e);
  }
}

export async function restoreCommand(args: string[], signal: AbortSignal): Promise<number> {
  try {
    const p = parseArgs(args, ['to', 'jobs', 'confirm', 'url', 'pg-bin-dir', 'safety-dir', ...SSH_OPTIONS], ['no-owner', ...SSH_SWITCHES]);
    if (p.flags.has('help')) return (process.stdout.write(RESTORE_USAGE), 0);
    const [file, ...extra] = p.positional;
    if (!file) throw new BackupUsageError('FILE is required: pgdba restore FILE --to NAME');
    if (extra.length) throw new BackupUsageError(`unexpected argument "${extra[0]}"`);
    const to = p.options.get('to');
    if (!to) throw new BackupUsageError('--to NAME is required (the database to restore into)');
    const confirm = p.options.get('confirm');
    const target = await connectionFrom(p.options.get('url'), to, process.env, hopFrom(p));
    const r = await restoreBackup({
      file,
      target,
      mode: confirm !== undefined ? 'replace' : 'new',
      confirmedName: confirm,
      jobs: intOption(p, 'jobs'),
      noOwner: p.flags.has('no-owner'),
      safetyBackupDir: p.options.get('safety-dir'),
      tools: { pgBinDir: p.options.get('pg-bin-dir') },
      signal,
      onProgress: (e) =>
        progressLine(e.phase === 'restoring' ? `restoring: ${e.tablesRestored}/${e.tablesTotal} tables${e.current ? `, ${e.current}` : ''}` : e.phase),
    });
    endProgress();
    if (r.safetyBackup) say(`safety backup of the replaced database: ${r.safetyBackup}`);
    say(`restored ${basename(file)} into ${r.database} with ${r.jobs} jobs in ${(r.restoreMs / 1000).toFixed(1)} s`);
    for (const t of r.sampleCounts) say(`  ${t.schema}.${t.name}: ${t.rows} rows`);
    return 0;
  } catch (e) {
    return fail('restore', e);
  }
}

export async function verifyCommand(args: string[], signal: AbortSignal): Promise<number> {
  let file: string | undefined;
  try {
    const p = parseArgs(args, ['url', 'pg-bin-dir', 'jobs', ...SSH_OPTIONS], ['full', ...SSH_SWITCHES]);
    if (p.flags.has('help')) return (process.stdout.write(VERIFY_USAGE), 0);
    const [given, ...extra] = p.positional;
    file = given;
    if (!file) throw new BackupUsageError('FILE is required: pgdba verify FILE [--full]');
    if (extra.length) throw new BackupUsageError(`unexpected argument "${extra[0]}"`);
    const full = p.flags.has('full');
    const db = parseBackupName(file)?.database;
    const target = full ? await connectionFrom(p.options.get('url'), db, process.env, hopFrom(p)) : undefined;
    const v = await verifyBackup({ file, full, target, jobs: intOption(p, 'jobs'), tools: { pgBinDir: p.options.get('pg-bin-dir') }, signal });
    say(`${basename(file)}: ${v.kind} verification ${v.ok ? 'ok' : `FAILED: ${v.reason ?? ''}`} (${(v.durationMs / 1000).toFixed(1)} s)`);
    for (const t of v.tables ?? []) say(`  ${t.schema}.${t.name}: ${t.rows}${t.expected !== undefined ? ` (${v.reference} ${t.expected})` : ''}`);
    return v.ok ? 0 : 1;
  } catch (e) {
    // Unreadable, the manifest is no record of a good backup: a failed verification, recorded nowhere.
    if (e instanceof CorruptManifestError && file) return (say(`${basename(file)}: verification FAILED: ${e.message}`), 1);
    return fail('verify', e);
  }
}
