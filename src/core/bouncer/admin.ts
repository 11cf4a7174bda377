// The console's admin commands pgdba offers: PAUSE / RESUME a database, RELOAD, KILL a
// database's server connections, RECONNECT. Each is worded for a confirmation first, and refused
// with the reason when the console user is in stats_users only (those may SHOW, never change).
import { quoteIdent } from '../db/sqlIdent';
import { ConsoleError, type BouncerConsole } from './console';
import { configMap, databaseRows } from './showRows';

export type AdminAction = { kind: 'pause' | 'resume' | 'kill'; database: string } | { kind: 'reload' } | { kind: 'reconnect'; database?: string };

/**
 * A database name as the console's grammar takes it: bare when it is [0-9a-z_]+, else in double
 * quotes with quotes doubled (admin.c's WORD). A name is data: never spliced in unquoted.
 */
export function consoleName(name: string): string {
  if (!name) throw new ConsoleError('a database name is needed');
  if (/[\0-\x1f\x7f]/.test(name)) throw new ConsoleError('a PgBouncer database name cannot contain control characters');
  return /^[0-9a-z_]+$/.test(name) ? name : quoteIdent(name);
}

export function adminStatement(a: AdminAction): string {
  switch (a.kind) {
    case 'pause':
      return `PAUSE ${consoleName(a.database)}`;
    case 'resume':
      return `RESUME ${consoleName(a.database)}`;
    case 'kill':
      return `KILL ${consoleName(a.database)}`;
    case 'reload':
      return 'RELOAD';
    case 'reconnect':
      return a.database === undefined ? 'RECONNECT' : `RECONNECT ${consoleName(a.database)}`;
  }
}

/** What the command does, for the confirmation a person reads before it runs. */
export function describeAdmin(a: AdminAction): string {
  switch (a.kind) {
    case 'pause':
      return `PAUSE ${a.database}: PgBouncer waits for the current transactions of "${a.database}" to finish, then closes its server connections; new queries of its clients wait until RESUME.`;
    case 'resume':
      return `RESUME ${a.database}: clients of "${a.database}" that wait get server connections again.`;
    case 'kill':
      return `KILL ${a.database}: PgBouncer drops every client and server connection of "${a.database}" at once; their open transactions are rolled back, and the database stays paused for new clients until RESUME.`;
    case 'reload':
      return 'RELOAD: PgBouncer re-reads pgbouncer.ini and its auth_file; settings that need a restart keep their running value.';
    case 'reconnect':
      return a.database === undefined
        ? 'RECONNECT: every server connection is closed and opened again once the client using it is done (after a server failover or a changed [databases] host).'
        : `RECONNECT ${a.database}: the server connections of "${a.database}" are closed and opened again once the client using each is done.`;
  }
}

/** A comma- or space-separated user list of SHOW CONFIG (admin_users, stats_users). */
function userList(v: string | undefined): string[] {
  return (v ?? '')
    .split(/[,\s]+/)
    .map((u) => u.trim())
    .filter(Boolean);
}

/** Why user may not run admin commands, from SHOW CONFIG; undefined when nothing says so. */
export function adminRefusal(config: ReadonlyMap<string, string>, user: string): string | undefined {
  const admins = userList(config.get('admin_users'));
  const stats = userList(config.get('stats_users'));
  if (stats.includes(user) && !admins.includes(user))
    return `"${user}" is in PgBouncer's stats_users only, which may run SHOW commands and nothing else: use a user of admin_users (${admins.join(', ') || 'none is set'}) as the profile's pgbouncerAdminUser`;
  return undefined;
}

/** The console's "admin access needed" in words; other errors as they are. */
function explainAdminError(e: unknown, user: string, statement: string): Error {
  const msg = (e as Error).message ?? String(e);
  if (/admin access needed|not allowed/i.test(msg))
    return new ConsoleError(
      `PgBouncer refused ${statement}: "${user}" is not in admin_users (only admin_users may change PgBouncer; stats_users may only SHOW)`,
    );
  return e instanceof Error ? e : new Error(msg);
}

/**
 * Runs the command after checking the user may and the database exists; refusals are
 * ConsoleErrors with the reason. The check for the database matters: with a "*" line in
 * [databases], the console makes an unknown name into a new database, and PAUSE or KILL of a
 * misspelt name leaves that one paused and the real one running.
 */
export async function runAdmin(con: BouncerConsole, a: AdminAction): Promise<void> {
  const statement = adminStatement(a);
  const user = con.connection.user;
  const refusal = adminRefusal(configMap(await con.show('CONFIG')), user);
  if (refusal) throw new ConsoleError(`${statement} refused: ${refusal}`);
  const database = 'database' in a ? a.database : undefined;
  if (database !== undefined && !databaseRows(await con.show('DATABASES')).some((d) => d.name === database))
    throw new ConsoleError(`${statement} not sent: PgBouncer has no database "${database}" (SHOW DATABASES lists the ones it has)`);
  try {
    await con.simple(statement);
  } catch (e) {
    throw explainAdminError(e, user, statement);
  }
}
