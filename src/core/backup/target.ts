// Where a backup comes from or goes to: a server and a database, with the password kept out of
// every command line. Child processes get it through PGPASSWORD in their environment only.
import pg from 'pg';

export interface PgTarget {
  host: string;
  port: number;
  user: string;
  database: string;
  /** From the secret store, PGPASSWORD or .pgpass; undefined lets libpq read .pgpass itself. */
  password?: string;
  sslmode?: string;
}

/** The same server, another database. */
export function withDatabase(t: PgTarget, database: string): PgTarget {
  return { ...t, database };
}

/** Environment for pg_dump / pg_restore / psql: libpq reads PG* variables, nothing on argv. */
export function childEnv(t: PgTarget, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, PGHOST: t.host, PGPORT: String(t.port), PGUSER: t.user, PGDATABASE: t.database };
  if (t.password !== undefined) env.PGPASSWORD = t.password;
  if (t.sslmode) env.PGSSLMODE = t.sslmode;
  // Messages are parsed (verbose lines): keep them in English whatever the person's locale.
  env.LC_MESSAGES = 'C';
  env.LANGUAGE = 'C';
  env.PGAPPNAME = 'pgdba';
  return env;
}

export async function withClient<T>(t: PgTarget, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    host: t.host,
    port: t.port,
    user: t.user,
    database: t.database,
    password: t.password,
    application_name: 'pgdba',
    connectionTimeoutMillis: 10_000,
    ssl: t.sslmode && !['disable', 'prefer', 'allow'].includes(t.sslmode) ? { rejectUnauthorized: t.sslmode.startsWith('verify') } : false,
  });
  client.on('error', () => undefined); // a server going away is reported by the next query
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** "user@host:port/db" for messages: never a password. */
export function describeTarget(t: PgTarget): string {
  return `${t.user}@${t.host}:${t.port}/${t.database}`;
}

/** A quoted SQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Parses postgres://user:pw@host:port/db (password percent-decoded, never echoed). */
export function targetFromUrl(url: string): PgTarget {
  const u = new URL(url);
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error('--url must start with postgres://');
  const t: PgTarget = {
    host: decodeURIComponent(u.hostname) || 'localhost',
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || 'postgres',
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
  };
  if (u.password) t.password = decodeURIComponent(u.password);
  const ssl = u.searchParams.get('sslmode');
  if (ssl) t.sslmode = ssl;
  return t;
}
