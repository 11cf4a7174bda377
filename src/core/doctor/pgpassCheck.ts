// The job's ~/.pgpass as libpq reads it: the service user's home, mode 0600 or stricter (libpq
// ignores a file group or others can read), owned by that user, and a line for the connection
// the job makes. Whether a missing line fails depends on whether the server asked for a password.
import type { HostAccess } from '../host/hostAccess';
import { HostPermissionError } from '../host/hostAccess';
import { lookupPgpass, parsePgpass } from '../db/pgpass';
import { shellQuote } from '../shellQuote';
import type { HostUser } from './account';
import type { DoctorCheck } from './types';

export interface JobConnection {
  host: string;
  port: number;
  database: string;
  user: string;
}

/**
 * `needsPassword`: doctor's own login used a password (so the job will need one). `file`: the job's
 * PGPASSFILE when its unit sets one; else the user's home's .pgpass, as libpq looks for it.
 */
export async function pgpassCheck(
  host: HostAccess,
  user: HostUser | undefined,
  conn: JobConnection,
  needsPassword: boolean | undefined,
  pgpassFile?: string,
): Promise<DoctorCheck> {
  if (!user) return { id: 'pgpass', level: 'warn', summary: `the service user was not found, so its ~/.pgpass was not checked` };
  const file = pgpassFile ?? `${user.home.replace(/\/+$/, '')}/.pgpass`;
  const line = `${conn.host}:${conn.port}:${conn.database}:${conn.user}`;
  const add = `as ${user.name}: printf '%s\\n' ${shellQuote(`${line}:PASSWORD`)} >> ${shellQuote(file)} && chmod 0600 ${shellQuote(file)}`;
  const missingLevel = needsPassword ? 'fail' : 'warn';
  const st = await host.stat(file).catch((e: unknown) => e as Error);
  if (st instanceof Error)
    return { id: 'pgpass', level: 'warn', summary: `${file} cannot be looked at from here: ${st.message}`, fix: `run doctor as root or as ${user.name}` };
  if (!st)
    return {
      id: 'pgpass',
      level: missingLevel,
      summary: `${file} does not exist${needsPassword ? `: the server asked for a password, and the job would have none` : ' (fine when pg_hba.conf lets the job in without a password)'}`,
      fix: add,
    };
  if ((st.mode & 0o077) !== 0)
    return {
      id: 'pgpass',
      level: 'fail',
      summary: `${file} has mode ${(st.mode & 0o777).toString(8)}: libpq ignores a .pgpass others can read`,
      fix: `sudo chmod 0600 ${file}`,
    };
  if (st.uid !== user.uid)
    return { id: 'pgpass', level: 'fail', summary: `${file} is not owned by ${user.name} (uid ${st.uid})`, fix: `sudo chown ${user.name}: ${file}` };
  let text: string;
  try {
    text = (await host.readFile(file, { maxBytes: 1024 * 1024 })).toString('utf8');
  } catch (e) {
    if (e instanceof HostPermissionError)
      return {
        id: 'pgpass',
        level: 'warn',
        summary: `${file} is 0600 and ${user.name}'s, but this login cannot read it to look for ${line}`,
        fix: `run doctor as root or as ${user.name}`,
      };
    throw e;
  }
  const found = lookupPgpass(parsePgpass(text), conn) !== undefined;
  if (found) return { id: 'pgpass', level: 'ok', summary: `${file} (0600, ${user.name}'s) has a line for ${line}` };
  return {
    id: 'pgpass',
    level: missingLevel,
    summary: `${file} has no line for ${line}${needsPassword ? ': the server asked for a password, and the job would have none' : ''}`,
    fix: add,
  };
}
