// The nightly schedule as the seed runs it — a systemd service started by a timer at 02:00, or 15
// minutes after boot when a run was missed — the service calling the pgdba CLI as a dedicated user
// in a sandbox that can write only the backup directory and read only the user's .pgpass and the
// Google key, the same command in a script for a run by hand, and the README that installs it all.
// Every value comes from a person or from the server (a database name anyone with CREATEDB picks):
// control characters are refused, and each value is quoted for where it goes (systemd.syntax(7),
// systemd.service(5) "Command lines"; bash).
import { chmod, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { ensureOutputDir } from './outputDir';
import { connectionUrl } from '../db/connection';
import type { ConnectionProfile } from '../db/profile';
import { shellQuote as shq } from '../shellQuote';
import { PGDBA_VERSION } from '../version';

export interface ScheduleOptions {
  database: string;
  backupDir?: string;
  driveFolderId?: string;
  keep?: number;
  verify?: 'quick' | 'full';
  /** The system user the service runs as (reads its ~/.pgpass): a dedicated one by default. */
  user?: string;
  /** That user's home, where its .pgpass is (default /var/lib/USER, as the README creates it). */
  home?: string;
  /** The server as the job reaches it (no password: that is in .pgpass); else libpq's defaults. */
  connection?: Pick<ConnectionProfile, 'host' | 'port' | 'user' | 'sslmode'>;
  /** Absolute path of the pgdba command on the server. */
  pgdbaPath?: string;
  /** Where the script will be installed (ExecStart). */
  scriptPath?: string;
  /** Google credentials file the service reads (a service-account key or OAuth file); with a Drive folder, default /etc/pgdba/google-credentials.json. */
  googleCredentials?: string;
  unitName?: string;
  /** pg_database_size of the database, when known: it sizes the service's TimeoutStartSec. */
  databaseSizeBytes?: number;
}

export interface ScheduleFiles {
  service: string;
  timer: string;
  script: string;
  readme: string;
  names: { service: string; timer: string; script: string };
  /** The user the service runs as. */
  user: string;
}

/** A value that cannot go into a unit or a script; the message says which and what to do. */
export class ScheduleValueError extends Error {}

/** C0 controls, DEL and C1 controls: newlines end a directive, the others have no safe spelling. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function checkValue(what: string, value: string): string {
  const bad = CONTROL.exec(value);
  if (bad)
    throw new ScheduleValueError(
      `${what} holds a control character (U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}), which a systemd unit or a shell script cannot carry safely: rename it (ALTER DATABASE … RENAME TO …) or schedule its backup by hand`,
    );
  return value;
}

function checkPath(what: string, value: string): string {
  checkValue(what, value);
  if (!isAbsolute(value)) throw new ScheduleValueError(`${what} must be an absolute path (systemd runs the service from /), not "${value}"`);
  return value;
}

/** Specifiers (%h, %n …) are expanded in most unit settings: a literal % is %%. */
const noSpecifiers = (s: string) => s.replace(/%/g, '%%');

const PLAIN_WORD = /^[A-Za-z0-9_.,:/+=@-]+$/;

/**
 * One word of a systemd setting: double-quoted with backslash and double quote escaped, % as %%,
 * and, in an argument of a command line (`dollars`), $ as $$ (systemd substitutes $VAR and ${VAR}
 * there, but not in the executable's path nor in Environment=). Plain words stay bare.
 */
export function systemdWord(s: string, dollars: boolean): string {
  const v = noSpecifiers(dollars ? s.replace(/\$/g, '$$$$') : s);
  if (PLAIN_WORD.test(s) && !s.includes('%') && !s.includes('$')) return s;
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The service's start deadline (Type=oneshot waits for ever by default, and a hung run would keep
 * the next night's from starting). Rule of thumb: 25 MB/s of database size per pass over it on
 * modest hardware — the dump is one pass, a quick verification a quarter of one (it reads the
 * archive), a full one two more (a restore with its indexes) — times two for headroom, never under
 * 30 minutes; a database of unknown size gets 6 hours.
 */
export function startTimeoutMinutes(sizeBytes: number | undefined, verify: 'quick' | 'full'): number {
  if (sizeBytes === undefined || !Number.isFinite(sizeBytes) || sizeBytes < 0) return 360;
  const passes = 1 + (verify === 'full' ? 2 : 0.25);
  const seconds = (2 * passes * sizeBytes) / 25e6;
  return Math.max(30, Math.ceil(seconds / 60));
}

/** The user the schedule runs as unless told otherwise: one that owns the backups and nothing else. */
export const DEFAULT_SERVICE_USER = 'pgdba-backup';

/** Where ProtectHome= hides homes: a .pgpass or a key under one is bound back in, read-only. */
const PROTECTED_HOMES = ['/home/', '/root/', '/run/user/'];
const underProtectedHome = (path: string) => PROTECTED_HOMES.some((h) => path.startsWith(h)) || path === '/root';

/** When the generated timer fires (OnCalendar), in the server's local time: the seed's 02:00. */
export const NIGHTLY_AT = { hour: 2, minute: 0 } as const;

/** The generated timer's next run after `now` (local time of this process; OnBootSec aside). */
export function nextNightlyRun(now: Date): Date {
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate(), NIGHTLY_AT.hour, NIGHTLY_AT.minute, 0, 0);
  if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
  return next;
}

export function generateSchedule(o: ScheduleOptions): ScheduleFiles {
  const unit = o.unitName ?? 'postgresql-backup';
  if (!/^[A-Za-z0-9_.@-]+$/.test(unit) || unit.startsWith('-'))
    throw new ScheduleValueError(`the unit name "${unit}" may hold letters, digits and _ . @ - only`);
  const database = checkValue('the database name', o.database);
  const scriptPath = checkPath('the script path', o.scriptPath ?? '/usr/local/bin/backup_postgresql.sh');
  const dir = checkPath('the backup directory', o.backupDir ?? '/var/backups/postgresql');
  const pgdba = checkPath('the pgdba path', o.pgdbaPath ?? '/usr/local/bin/pgdba');
  if (/["'\\]/.test(pgdba))
    throw new ScheduleValueError(`the pgdba path may not hold quotes or backslashes (systemd refuses them in an executable's name): install pgdba elsewhere`);
  const user = o.user ?? DEFAULT_SERVICE_USER;
  if (!/^[a-z_][a-z0-9_-]{0,31}$/i.test(user)) throw new ScheduleValueError(`"${user}" is not a system user name (letters, digits, _ and -; at most 32)`);
  const home = checkPath("the service user's home", o.home ?? `/var/lib/${user}`).replace(/\/+$/, '');
  const pgpass = `${home}/.pgpass`;
  const driveFolderId = o.driveFolderId ? checkValue('the Drive folder id', o.driveFolderId) : undefined;
  const credentials = o.googleCredentials
    ? checkPath('the Google credentials file', o.googleCredentials)
    : driveFolderId !== undefined
      ? '/etc/pgdba/google-credentials.json'
      : undefined;
  const url = o.connection ? checkValue('the connection URL', connectionUrl({ name: '', ...o.connection, database })) : undefined;
  const verify = o.verify ?? 'quick';
  const keep = String(o.keep ?? 7);
  // The one command, spelled for bash in the script (variables) and for systemd in the unit (values).
  const command = (db: string, backupDir: string, folder: string | undefined) => [
    'backup',
    '--db',
    db,
    '--dir',
    backupDir,
    '--keep',
    keep,
    '--verify',
    verify,
    ...(folder !== undefined ? ['--drive-folder', folder] : []),
  ];
  const args = command('"$DB_NAME"', '"$BACKUP_DIR"', driveFolderId !== undefined ? '"$GDRIVE_FOLDER_ID"' : undefined);
  const execStart = [systemdWord(pgdba, false), ...command(database, dir, driveFolderId).map((w) => systemdWord(w, true))].join(' ');
  // The .pgpass and the key stay readable when ProtectHome= hides the homes they live in.
  const binds = [pgpass, ...(credentials ? [credentials] : [])].filter(underProtectedHome);
  const sandbox = [
    `ProtectSystem=strict`,
    `ReadWritePaths=${systemdWord(dir, false)}`,
    binds.length ? `ProtectHome=tmpfs\nBindReadOnlyPaths=${binds.map((b) => systemdWord(b, false)).join(' ')}` : `ProtectHome=yes`,
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'NoNewPrivileges=yes',
    'UMask=0077',
    'CapabilityBoundingSet=',
    'RestrictSUIDSGID=yes',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectKernelLogs=yes',
    'ProtectControlGroups=yes',
    'ProtectClock=yes',
    'ProtectHostname=yes',
    'RestrictNamespaces=yes',
    'RestrictRealtime=yes',
    'LockPersonality=yes',
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK',
    'SystemCallArchitectures=native',
  ].join('\n');
  const timeoutMin = startTimeoutMinutes(o.databaseSizeBytes, verify);
  const script = `#!/bin/bash
# Nightly PostgreSQL backup, generated by pgdba. Replaces the pg_dump | gzip pipeline: one
# compression, an atomic file with a manifest, a verification, retention, and the Drive upload.
# The password comes from ~/.pgpass of the service's user (or PGPASSWORD): never on a command line.
set -euo pipefail

DB_NAME=${shq(database)}
BACKUP_DIR=${shq(dir)}
${url ? `export PGDBA_URL=${shq(url)}\n` : ''}${driveFolderId ? `GDRIVE_FOLDER_ID=${shq(driveFolderId)}\n` : ''}${credentials ? `export PGDBA_GOOGLE_CREDENTIALS=${shq(credentials)}\n` : ''}
echo "Starting PostgreSQL backup for database: $DB_NAME at $(date +%Y-%m-%d_%H-%M-%S)"
exec ${shq(pgdba)} ${args.join(' ')}
`;
  const service = `[Unit]
Description=PostgreSQL backup of ${noSpecifiers(database)} (pgdba)
Wants=network-online.target
After=network-online.target postgresql.service

[Service]
Type=oneshot
User=${user}
Group=${user}
${url ? `Environment=${systemdWord(`PGDBA_URL=${url}`, false)}\n` : ''}${credentials ? `Environment=${systemdWord(`PGDBA_GOOGLE_CREDENTIALS=${credentials}`, false)}\n` : ''}ExecStart=${execStart}
# ${o.databaseSizeBytes !== undefined ? `${Math.round(o.databaseSizeBytes / 1e6)} MB` : 'size unknown'}: 2 × (dump + verification) at 25 MB/s, at least 30 min (unknown: 6 h); see README.md
TimeoutStartSec=${timeoutMin}min
Nice=10
IOSchedulingClass=best-effort
IOSchedulingPriority=7
# The sandbox: ${user} writes the backups and nothing else, reads its .pgpass${credentials ? ' and the Google key' : ''}, sees no other home.
${sandbox}
`;
  const timer = `[Unit]
Description=Run PostgreSQL Daily Backup Service

[Timer]
# Run daily at 2:00 AM
OnCalendar=*-*-* ${String(NIGHTLY_AT.hour).padStart(2, '0')}:${String(NIGHTLY_AT.minute).padStart(2, '0')}:00
# Or run 15 minutes after boot if missed the scheduled time
OnBootSec=15min
# Ensure the timer persists across reboots
Persistent=true
Unit=${unit}.service

[Install]
WantedBy=timers.target
`;
  const conn = o.connection;
  const pgpassLine = `${conn?.host ?? 'localhost'}:${conn?.port ?? 5432}:${database}:${conn?.user ?? user}:THE_PASSWORD`;
  const tgz = `pgdba-cli-${PGDBA_VERSION}.tgz`;
  const readme = `# Nightly backup of ${database}

Files: \`${unit}.service\` (runs \`pgdba backup\` as the user ${user}), \`${unit}.timer\` (daily at
${String(NIGHTLY_AT.hour).padStart(2, '0')}:${String(NIGHTLY_AT.minute).padStart(2, '0')}, or 15 minutes after boot when a run was missed), and \`backup_postgresql.sh\`, the same
command for a run by hand or from cron.

The service runs as ${user}, a user that owns the backups and nothing else, in systemd's sandbox:
the whole file system read-only (\`ProtectSystem=strict\`) but ${dir} (\`ReadWritePaths=\`), no
other user's home (\`ProtectHome=\`), its own /tmp, no devices, no new privileges, no capabilities.
It reads ${pgpass}${credentials ? ` and ${credentials}` : ''}; the password never appears in a unit, a
command line or the journal.

The service may run for ${timeoutMin} minutes (\`TimeoutStartSec\`): twice the time of the dump and
the ${verify} verification at 25 MB/s of database size${o.databaseSizeBytes !== undefined ? ` (${Math.round(o.databaseSizeBytes / 1e6)} MB now)` : ' (its size was unknown: 6 hours)'},
never under 30 minutes. A run that takes longer is stopped by systemd (SIGTERM) and the failure
is in the journal; raise the figure when the database grows.

## Install on the server

Every step is run on the database server, as a user with sudo. \`X.Y.Z\` is ${PGDBA_VERSION} for the
pgdba that wrote these files.

1. The CLI: Node 20 or newer (\`node --version\`; Debian 12's \`apt install nodejs npm\` is 18, too old:
   use NodeSource's packages), then copy \`${tgz}\` (\`npm run package\` makes it, beside the .vsix)
   and install it. Nothing is downloaded: the package holds everything.

       scp ${tgz} ${'SERVER'}:
       sudo npm install -g --prefix /usr/local ./${tgz}
       ${pgdba} version

2. The tools: pg_dump and pg_restore of the server's major or newer, and zstd
   (\`pgdba version\` lists what it found):

       sudo apt install postgresql-client-NN zstd        # NN: the server's major (PGDG's apt repository has each)

3. The service user and the backup directory:

       sudo useradd --system --home-dir ${shq(home)} --create-home --shell /usr/sbin/nologin ${user}
       sudo install -d -m 0750 -o ${user} -g ${user} ${shq(dir)}

4. Its password, in its \`.pgpass\` (mode 0600, or libpq ignores it). The role must read every table:
   \`GRANT pg_read_all_data TO …\` on 14 and later, or a superuser.

       sudo install -m 0600 -o ${user} -g ${user} /dev/null ${shq(pgpass)}
       sudoedit ${shq(pgpass)}        # one line: ${pgpassLine}
${
  credentials
    ? `
5. The Google key (a service-account key, the Drive folder shared with its e-mail as Editor; or an
   OAuth authorized_user file), readable by ${user} alone:

       sudo install -d -m 0755 ${shq(credentials.replace(/\/[^/]*$/, '') || '/')}
       sudo install -m 0600 -o ${user} -g ${user} key.json ${shq(credentials)}
`
    : ''
}
${credentials ? 6 : 5}. Check everything the job needs, as the job's user (exit 0: ready; each ✗ says what to fix):

       sudo -u ${user} ${pgdba} doctor --db ${shq(database)} --dir ${shq(dir)}${url ? ` --url ${shq(url)}` : ''}${driveFolderId ? ` --drive-folder ${shq(driveFolderId)}` : ''}${credentials ? ` --google-credentials ${shq(credentials)}` : ''}

${credentials ? 7 : 6}. The units and the script, checked, then the timer enabled:

       sudo install -m 0755 backup_postgresql.sh ${shq(scriptPath)}
       sudo install -m 0644 ${unit}.service ${unit}.timer /etc/systemd/system/
       sudo systemd-analyze verify /etc/systemd/system/${unit}.service /etc/systemd/system/${unit}.timer
       sudo systemctl daemon-reload
       sudo systemctl enable --now ${unit}.timer
       systemctl list-timers ${unit}.timer

${credentials ? 8 : 7}. Run once now and read the log, as the seed's monitoring does:

       sudo systemctl start ${unit}.service
       journalctl -u ${unit}.service -n 50
       ${pgdba} backups --dir ${shq(dir)}

   By hand, outside systemd (the same command, as the same user): \`sudo -u ${user} ${shq(scriptPath)}\`.
`;
  return { service, timer, script, readme, user, names: { service: `${unit}.service`, timer: `${unit}.timer`, script: 'backup_postgresql.sh' } };
}

export async function writeSchedule(dir: string, files: ScheduleFiles): Promise<string[]> {
  await ensureOutputDir(dir, 'the schedule files');
  const out = [
    [files.names.service, files.service],
    [files.names.timer, files.timer],
    [files.names.script, files.script],
    ['README.md', files.readme],
  ] as const;
  for (const [name, text] of out) await writeFile(join(dir, name), text);
  await chmod(join(dir, files.names.script), 0o755);
  return out.map(([name]) => join(dir, name));
}
