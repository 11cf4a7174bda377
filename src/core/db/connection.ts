// The one connection model: a profile (settings, never a password) resolved with its password,
// and what each client needs from it — pg's config, libpq's environment for pg_dump, pg_restore,
// pgbench and psql (the password in PGPASSWORD, never on a command line), and a postgres:// URL.
import { isIP } from 'node:net';
import pg from 'pg';
import { ConnectFailure } from './connectError';
import { resolvePassword, type SecretStorePort } from './passwordSource';
import { describeProfile, SSL_MODES, type ConnectionProfile, type SslMode } from './profile';
import { PgClient } from './pgClient';

export interface PgConnection extends ConnectionProfile {
  /** From the secret store, pg_service.conf, PGPASSWORD or .pgpass; undefined: none found. */
  password?: string;
  /**
   * Where clients connect when the profile names an SSH hop: the loopback end of its tunnel
   * (src/core/ssh/). host and port stay the server's as the SSH server sees it, for messages and
   * .pgpass; pools and libpq tools connect here, through clientConfig, childEnv and databaseArgs.
   */
  via?: { host: string; port: number };
}

/** Opens (or finds) the profile's tunnel and gives its loopback end; the front end holds the session (SshHops.endpoint). */
export type SshTunnelPort = (profile: ConnectionProfile) => Promise<{ host: string; port: number }>;

/** The profile with its password, from libpq's sources after the editor's secret store, and its SSH tunnel when it names a hop. */
export async function resolveConnection(
  profile: ConnectionProfile,
  secrets: SecretStorePort | undefined,
  env: NodeJS.ProcessEnv = process.env,
  tunnel?: SshTunnelPort,
): Promise<PgConnection> {
  const { password } = await resolvePassword(profile, secrets, env);
  let c: PgConnection = password === undefined ? { ...profile } : { ...profile, password };
  if (profile.ssh) {
    if (!tunnel) throw new Error(`profile "${profile.name}" connects through SSH (${profile.ssh}), which this command cannot open`);
    c = { ...c, via: await tunnel(profile) };
  }
  return c;
}

/** Where a client connects: the tunnel's loopback end, else the profile's host and port. */
export function endpointOf(c: PgConnection): { host: string; port: number } {
  return c.via ?? { host: c.host, port: c.port };
}

/** The same server, another database. */
export function withDatabase<T extends ConnectionProfile>(c: T, database: string): T {
  return { ...c, database };
}

/**
 * node-postgres has no "prefer": like libpq's default it means "no TLS" for a client that cannot fall
 * back. As libpq: verify-ca checks the certificate's chain only, verify-full also that it names
 * `host` — the profile's, not where the socket goes: through an SSH tunnel that is 127.0.0.1, and the
 * certificate names the server (its name is also the SNI, which an IP address cannot be).
 */
export function sslConfig(mode: SslMode | undefined, host: string): pg.ClientConfig['ssl'] {
  if (mode === undefined || mode === 'disable' || mode === 'prefer') return false;
  if (mode === 'require') return { rejectUnauthorized: false };
  if (mode === 'verify-ca') return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
  return { rejectUnauthorized: true, host, ...(isIP(host) === 0 ? { servername: host } : {}) };
}

/**
 * Client-side deadlines of every connection: the server's statement_timeout cannot fire when its
 * answer never arrives (a stalled server, a half-open network path), so the client stops waiting.
 * connectMs bounds the TCP connect and the login; queryMs each query (node-postgres query_timeout).
 */
export interface Deadlines {
  connectMs?: number;
  queryMs?: number;
}

export const CONNECT_TIMEOUT_MS = 10_000;
/** withClient's default: its callers run admin statements (DROP DATABASE of a large one takes a while). */
export const QUERY_TIMEOUT_MS = 300_000;
/** The client waits this much longer than the server's statement_timeout, so that the server's own error (in words) arrives first. */
export const CLIENT_GRACE_MS = 2_000;

/**
 * What every pg Client and Pool of pgdba starts from, with its deadlines (the one place they are
 * set). The password is never absent, so that pg never looks for one itself: given none (or ''),
 * it would read PGPASSWORD and ~/.pgpass by its own rules, after pgdba's reader already did by
 * libpq's, and print its deprecation warning. Without one it is a function giving '', which fails
 * as "no password".
 */
export function clientConfig(c: PgConnection, d: Deadlines = {}): pg.ClientConfig {
  return {
    ...endpointOf(c),
    database: c.database,
    user: c.user,
    password: c.password ?? (() => ''),
    ssl: sslConfig(c.sslmode, c.host),
    application_name: 'pgdba',
    connectionTimeoutMillis: d.connectMs ?? CONNECT_TIMEOUT_MS,
    query_timeout: d.queryMs ?? QUERY_TIMEOUT_MS,
  };
}

/** Environment for pg_dump / pg_restore / pgbench / psql: libpq reads PG* variables, nothing on argv. */
export function childEnv(c: PgConnection, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const at = endpointOf(c);
  // Through a tunnel libpq connects to its loopback end (PGHOSTADDR) and checks a verify-full certificate against the profile's host.
  const env: NodeJS.ProcessEnv = { ...base, PGHOST: c.via ? c.host : at.host, PGPORT: String(at.port), PGUSER: c.user, PGDATABASE: c.database };
  if (c.via) env.PGHOSTADDR = c.via.host;
  else delete env.PGHOSTADDR;
  if (c.password !== undefined) env.PGPASSWORD = c.password;
  if (c.sslmode) env.PGSSLMODE = c.sslmode;
  // Messages are parsed (verbose lines): keep them in English whatever the person's locale.
  env.LC_MESSAGES = 'C';
  env.LANGUAGE = 'C';
  env.PGAPPNAME = 'pgdba';
  return env;
}

/** postgres://user@host:port/database[?sslmode=…&hostaddr=…]: names percent-encoded, never the password. */
export function connectionUrl(c: ConnectionProfile, hostaddr?: string): string {
  const host = c.host.includes(':') ? `[${c.host}]` : encodeURIComponent(c.host);
  const query = [...(c.sslmode ? [`sslmode=${c.sslmode}`] : []), ...(hostaddr ? [`hostaddr=${encodeURIComponent(hostaddr)}`] : [])];
  return `postgres://${encodeURIComponent(c.user)}@${host}:${c.port}/${encodeURIComponent(c.database)}${query.length ? `?${query.join('&')}` : ''}`;
}

/**
 * The database as a libpq tool's argument, the one way pgdba names it to pg_dump, pg_restore,
 * psql and pgbench: a postgres:// URL, the name percent-encoded. A bare name is read as a
 * connection string when it holds "=" or starts like a URI ("dbname=victim" connects to victim),
 * and one that begins with "-" as an option. pgbench takes it as its last argument, the others
 * as --dbname=.
 */
export function databaseArgs(c: PgConnection, tool: 'pg_dump' | 'pg_restore' | 'psql' | 'pgbench'): string[] {
  // Through a tunnel: the profile's host (a verify-full certificate names it), the tunnel's port, its loopback end as hostaddr.
  const url = c.via ? connectionUrl({ ...c, port: c.via.port }, c.via.host) : connectionUrl(c);
  return tool === 'pgbench' ? [url] : [`--dbname=${url}`];
}

export const URL_SCHEME_ERROR = '--url must be a postgres:// URL (postgres://user@host:port/database)';

/** Parses postgres://user:pw@host:port/db?sslmode=… (password percent-decoded, never echoed). */
export function parseConnectionUrl(url: string): PgConnection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(URL_SCHEME_ERROR);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error(URL_SCHEME_ERROR);
  const port = u.port ? Number(u.port) : 5432;
  const ssl = u.searchParams.get('sslmode');
  if (ssl !== null && !(SSL_MODES as readonly string[]).includes(ssl)) throw new Error(`--url: sslmode must be one of ${SSL_MODES.join(', ')}`);
  const c: PgConnection = {
    name: '',
    host: decodeURIComponent(u.hostname.replace(/^\[(.*)\]$/, '$1')) || 'localhost',
    port,
    user: decodeURIComponent(u.username) || 'postgres',
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    ...(ssl ? { sslmode: ssl as SslMode } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
  return { ...c, name: describeProfile(c) };
}

/**
 * One client for fn; a failure to connect is a ConnectFailure, for the front end to explain. After
 * a query timed out, end() destroys the socket (node-postgres does so while a query is active).
 */
export async function withClient<T>(c: PgConnection, fn: (client: pg.Client) => Promise<T>, deadlines: Deadlines = {}): Promise<T> {
  const client = new PgClient(clientConfig(c, deadlines));
  client.on('error', () => undefined); // a server going away is reported by the next query
  try {
    await client.connect();
  } catch (e) {
    throw new ConnectFailure(e, c);
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
