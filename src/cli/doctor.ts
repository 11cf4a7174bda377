// `pgdba doctor`: what the nightly backup needs, checked and said in words, on this machine or the
// SSH hop's. Exit status: 0 nothing would make the nightly job fail (warnings aside), 1 something
// would, 2 usage error.
import { explainConnectError } from '../core/db/connectError';
import { withClient, type PgConnection } from '../core/db/connection';
import { readServerVersion } from '../core/db/serverInfo';
import { runDoctor, type ServerReading } from '../core/doctor/doctor';
import { renderDoctorText } from '../core/doctor/render';
import type { HostAccess } from '../core/host/hostAccess';
import { localHost } from '../core/host/localHost';
import { terminalJson, terminalText } from '../core/terminalText';
import { BackupUsageError, defaultBackupDir, driveAuthFrom, parseArgs } from './backupArgs';
import { CLI_ADVICE, connectionFrom } from './connection';
import { cliHopHost, hopFrom, SSH_OPTIONS, SSH_SWITCHES, SSH_USAGE } from './sshArgs';

const DOCTOR_USAGE = `usage: pgdba doctor [--url URL] [--db NAME] [--dir DIR] [--user USER] [--ssh [USER@]HOST[:PORT]] [--format text|json]

Checks what the nightly backup (pgdba schedule's service) needs, on the server's machine — this one,
or the SSH hop's with --ssh — and says what to fix:
  the server (reachable, its major); pgdba at the path the unit calls; pg_dump and pg_restore of the
  server's major or newer; zstd; pgbench (load tests only); the service user; the backup directory
  (there, writable by that user, free space against the last backups' sizes); the user's ~/.pgpass
  (0600, theirs, a line for the connection); the Google credentials file (readable, its kind) and
  the Drive folder (reached with those credentials, within --timeout); the timer (where systemd runs).

options:
  --url URL                 the connection the job makes (else PG* variables or $PGDBA_URL)
  --db NAME                 the database backed up (default: the URL's)
  --dir DIR                 the backup directory (default $PGDBA_BACKUP_DIR or /var/backups/postgresql)
  --user USER               the job's user (default: User= of the installed unit, else you)
  --unit NAME               the unit's name (default postgresql-backup)
  --pgpass FILE             the job's PGPASSFILE, when its unit sets one (default: the user's ~/.pgpass)
  --pgdba PATH              where the unit calls pgdba (default /usr/local/bin/pgdba)
  --pg-bin-dir DIR          where pg_dump and pg_restore are (else the PATH)
  --google-credentials FILE the Drive credentials (else $PGDBA_GOOGLE_CREDENTIALS)
  --drive-folder ID         the Drive folder the backups go to
  --timeout SECONDS         the deadline of the server's and Drive's answers (default 20)
  --format text|json        json: {host, serviceUser, checks: [{id, level, summary, fix?}], failures, warnings}
${SSH_USAGE}exit status: 0 nothing would make the nightly job fail (warnings aside), 1 something would, 2 usage error
`;

const OPTIONS = [
  'url',
  'db',
  'dir',
  'user',
  'unit',
  'pgpass',
  'pgdba',
  'pg-bin-dir',
  'google-credentials',
  'drive-folder',
  'timeout',
  'format',
  ...SSH_OPTIONS,
];

async function readServer(c: PgConnection, timeoutMs: number): Promise<ServerReading> {
  try {
    const v = await withClient(c, (client) => readServerVersion(client), { connectMs: timeoutMs, queryMs: timeoutMs });
    return { ok: true, major: v.major, version: v.text, usedPassword: c.password !== undefined, label: c.name };
  } catch (e) {
    return { ok: false, error: explainConnectError(e, c, CLI_ADVICE), label: c.name };
  }
}

export async function doctorCommand(args: string[]): Promise<number> {
  const usage = (msg: string) => (process.stderr.write(`pgdba doctor: ${terminalText(msg)}\nrun \`pgdba doctor --help\` for the options\n`), 2);
  let host: HostAccess | undefined;
  try {
    const p = parseArgs(args, OPTIONS, [...SSH_SWITCHES]);
    if (p.flags.has('help')) return (process.stdout.write(DOCTOR_USAGE), 0);
    if (p.positional.length) throw new BackupUsageError(`unexpected argument "${p.positional[0]}"`);
    const format = p.options.get('format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new BackupUsageError('--format must be text or json');
    const timeoutS = Number(p.options.get('timeout') ?? 20);
    if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new BackupUsageError('--timeout must be a number of seconds');
    const dir = p.options.get('dir') ?? defaultBackupDir();
    const pgdbaPath = p.options.get('pgdba') ?? '/usr/local/bin/pgdba';
    const pgpassFile = p.options.get('pgpass');
    for (const [what, path] of [
      ['--dir', dir],
      ['--pgdba', pgdbaPath],
      ['--pgpass', pgpassFile ?? '/'],
    ] as const)
      if (!path.startsWith('/')) throw new BackupUsageError(`${what} must be an absolute path, as the unit names it`);
    const unit = p.options.get('unit') ?? 'postgresql-backup';
    const hop = hopFrom(p);
    // The job's password file is doctor's too: the login below is the job's.
    const conn = await connectionFrom(
      p.options.get('url'),
      p.options.get('db'),
      pgpassFile && !hop ? { ...process.env, PGPASSFILE: pgpassFile } : process.env,
      hop,
    );
    const timeoutMs = timeoutS * 1000;
    const { credentialsFile, accessToken, rootUrl } = driveAuthFrom(p);
    const [server, h] = await Promise.all([readServer(conn, timeoutMs), hop ? cliHopHost(hop) : Promise.resolve(localHost)]);
    host = h;
    const user = p.options.get('user');
    const binDir = p.options.get('pg-bin-dir');
    const folderId = p.options.get('drive-folder');
    const report = await runDoctor({
      host,
      server,
      connection: { host: conn.host, port: conn.port, database: conn.database, user: conn.user },
      backupDir: dir,
      database: conn.database,
      ...(user ? { serviceUser: user } : {}),
      unit,
      ...(pgpassFile ? { pgpassFile } : {}),
      pgdbaPath,
      ...(binDir ? { pgBinDir: binDir } : {}),
      drive: {
        ...(credentialsFile ? { credentialsFile } : {}),
        ...(folderId ? { folderId } : {}),
        auth: { ...(accessToken ? { accessToken } : {}), ...(rootUrl ? { rootUrl } : {}) },
      },
      timeoutMs,
    });
    process.stdout.write(format === 'json' ? terminalJson(report) + '\n' : terminalText(renderDoctorText(report), { lines: true }));
    return report.failures > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof BackupUsageError) return usage(e.message);
    process.stderr.write(`pgdba doctor: ${terminalText((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '')}\n`);
    return 2;
  } finally {
    host?.release();
  }
}
