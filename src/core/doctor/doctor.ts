// `pgdba doctor`: what the nightly backup needs, checked on the server's machine (HostAccess: this
// one, or the SSH hop's) as the job's user would meet it. The front end reads the server (its
// major, whether it asked for a password) and hands the result in; everything else is read here.
import type { HostAccess } from '../host/hostAccess';
import { readNightlyTimer } from '../backup/nightlyTimer';
import { currentUserName, lookupUser, unitUser, type HostUser } from './account';
import { backupDirChecks } from './backupDirChecks';
import { driveChecks, type DriveCheckOptions } from './driveChecks';
import { pgpassCheck, type JobConnection } from './pgpassCheck';
import { toolChecks } from './toolChecks';
import type { DoctorCheck, DoctorReport } from './types';

export type ServerReading = { ok: true; major: number; version: string; usedPassword: boolean; label: string } | { ok: false; error: string; label: string };

export interface DoctorInput {
  host: HostAccess;
  server: ServerReading;
  /** The connection the job makes (its .pgpass line is looked for). */
  connection: JobConnection;
  backupDir: string;
  database?: string;
  /** The user asked for (--user); else the installed unit's User=, else whoever runs doctor. */
  serviceUser?: string;
  unit: string;
  /** The job's PGPASSFILE, when its unit sets one (else the user's ~/.pgpass). */
  pgpassFile?: string;
  pgdbaPath: string;
  pgBinDir?: string;
  drive: Omit<DriveCheckOptions, 'timeoutMs'>;
  timeoutMs: number;
}

const DEDICATED = 'pgdba-backup';

async function serviceUserCheck(i: DoctorInput): Promise<{ check: DoctorCheck; user?: HostUser; asUser: boolean }> {
  const me = await currentUserName(i.host);
  const unitPath = `/etc/systemd/system/${i.unit}.service`;
  const fromUnit = i.serviceUser ? undefined : await unitUser(i.host, unitPath).catch(() => undefined);
  const name = i.serviceUser ?? fromUnit ?? me;
  const source = i.serviceUser ? 'given by --user' : fromUnit ? `User= of ${unitPath}` : `no ${unitPath} installed: checked as ${me}, who runs doctor`;
  const user = await lookupUser(i.host, name);
  const asUser = name === me;
  if (!user)
    return {
      asUser,
      check: {
        id: 'service-user',
        level: 'fail',
        summary: `${name} (${source}) is not a user on ${i.host.label}`,
        fix: `sudo useradd --system --home-dir /var/lib/${name} --create-home --shell /usr/sbin/nologin ${name}`,
      },
    };
  const said = `${name} (uid ${user.uid}, home ${user.home}; ${source})`;
  if (user.uid === 0)
    return {
      user,
      asUser,
      check: {
        id: 'service-user',
        level: 'warn',
        summary: `${said}: the job would run as root`,
        fix: `run it as a dedicated user: pgdba schedule --user ${DEDICATED} writes the unit, its README how to create the user`,
      },
    };
  return { user, asUser, check: { id: 'service-user', level: fromUnit || i.serviceUser ? 'ok' : 'warn', summary: said } };
}

async function timerCheck(i: DoctorInput): Promise<DoctorCheck> {
  const t = await readNightlyTimer(i.host, i.unit).catch((e: unknown) => e as Error);
  if (t instanceof Error) return { id: 'timer', level: 'warn', summary: `${i.unit}.timer could not be read: ${t.message}` };
  if (!t.systemd) return { id: 'timer', level: 'skip', summary: t.note };
  if (t.note) return { id: 'timer', level: 'warn', summary: t.note, fix: `sudo systemctl enable --now ${i.unit}.timer` };
  return { id: 'timer', level: 'ok', summary: `${t.unit}: next run ${t.nextRun ?? 'not scheduled'}${t.lastRun ? `, last ${t.lastRun}` : ''}` };
}

function serverCheck(s: ServerReading): DoctorCheck {
  if (!s.ok) return { id: 'server', level: 'fail', summary: `${s.label}: ${s.error}` };
  return { id: 'server', level: 'ok', summary: `${s.label}: PostgreSQL ${s.version}` };
}

export async function runDoctor(i: DoctorInput): Promise<DoctorReport> {
  const serverMajor = i.server.ok ? i.server.major : undefined;
  // One check after the other: over SSH each command is a channel, and sshd opens only so many at once.
  const tools = await toolChecks(i.host, {
    ...(serverMajor !== undefined ? { serverMajor } : {}),
    pgdbaPath: i.pgdbaPath,
    ...(i.pgBinDir ? { pgBinDir: i.pgBinDir } : {}),
  });
  const account = await serviceUserCheck(i);
  const dir = await backupDirChecks(i.host, i.backupDir, account.user, { ...(i.database ? { database: i.database } : {}), asUser: account.asUser });
  const pgpass = await pgpassCheck(i.host, account.user, i.connection, i.server.ok ? i.server.usedPassword : undefined, i.pgpassFile);
  const drive = await driveChecks(i.host, account.user, { ...i.drive, timeoutMs: i.timeoutMs });
  const timer = await timerCheck(i);
  const checks = [serverCheck(i.server), ...tools, account.check, ...dir, pgpass, ...drive, timer];
  return {
    host: i.host.label,
    ...(account.user ? { serviceUser: account.user.name } : {}),
    checks,
    failures: checks.filter((c) => c.level === 'fail').length,
    warnings: checks.filter((c) => c.level === 'warn').length,
  };
}
