// The server's side of the pool arithmetic, read live: how many connections it takes, how many
// are in use now, and how it stores passwords (for PgBouncer's auth_type).
import { settle } from '../stats/errors';
import type { Queryable } from '../stats/sql';

export interface ServerRoom {
  maxConnections: number;
  /** superuser_reserved_connections, plus reserved_connections on 16+. */
  reserved: number;
  /** Client backends now, PgBouncer's server connections among them. */
  clientBackends: number;
  passwordEncryption: string;
  /** Login roles whose stored password is SCRAM / md5; undefined when pg_authid is not readable (not a superuser). */
  scramRoles?: number;
  md5Roles?: number;
}

export async function readServerRoom(q: Queryable, v: { versionNum: number }): Promise<ServerRoom> {
  const reserved =
    v.versionNum >= 160000
      ? "current_setting('superuser_reserved_connections')::int + current_setting('reserved_connections')::int"
      : "current_setting('superuser_reserved_connections')::int";
  const r = await q.query<{ max_connections: number; reserved: number; backends: number; password_encryption: string }>(
    `SELECT current_setting('max_connections')::int AS max_connections, ${reserved} AS reserved,
            (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int AS backends,
            current_setting('password_encryption') AS password_encryption`,
  );
  const row = r.rows[0];
  if (!row) throw new Error('the server returned no row for its connection settings');
  const secrets = await settle(
    q.query<{ scram: number; md5: number }>(
      `SELECT count(*) FILTER (WHERE rolpassword LIKE 'SCRAM-SHA-256$%')::int AS scram,
              count(*) FILTER (WHERE rolpassword LIKE 'md5%')::int AS md5
         FROM pg_authid WHERE rolcanlogin`,
    ),
  );
  const s = secrets.ok ? secrets.value.rows[0] : undefined;
  return {
    maxConnections: row.max_connections,
    reserved: row.reserved,
    clientBackends: row.backends,
    passwordEncryption: row.password_encryption,
    ...(s ? { scramRoles: s.scram, md5Roles: s.md5 } : {}),
  };
}
