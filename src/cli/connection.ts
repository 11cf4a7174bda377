// The connection of every CLI command, as every PostgreSQL tool takes it: --url, else the PG*
// variables; the password from the URL, pg_service.conf, PGPASSWORD or ~/.pgpass. And the CLI's
// advice for connect errors: what a person at a terminal can change.
import type { ConnectAdvice, ConnectionSetting } from '../core/db/connectError';
import { parseConnectionUrl, resolveConnection, type PgConnection } from '../core/db/connection';
import { describeProfile, SSL_MODES, type ConnectionProfile, type SslMode } from '../core/db/profile';
import { BackupUsageError } from './backupArgs';
import { cliHops, type CliHop } from './sshArgs';

const ENV_OF: Record<ConnectionSetting, string> = { host: 'PGHOST', port: 'PGPORT', database: 'PGDATABASE', user: 'PGUSER' };

export const CLI_ADVICE: ConnectAdvice = {
  password: 'check PGPASSWORD or ~/.pgpass, or give it in --url',
  setting: (name) => `the ${name} in --url (or ${ENV_OF[name]})`,
};

/** url (--url or $PGDBA_URL) wins; else PGHOST, PGPORT, PGUSER, PGDATABASE, PGSSLMODE. database overrides either. hop: --ssh and its options. */
export async function connectionFrom(
  url: string | undefined,
  database: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  hop?: CliHop,
): Promise<PgConnection> {
  const given = url ?? env.PGDBA_URL;
  let c: PgConnection;
  if (given) {
    try {
      c = parseConnectionUrl(given);
    } catch (e) {
      throw new BackupUsageError((e as Error).message);
    }
  } else {
    const port = Number(env.PGPORT ?? 5432);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new BackupUsageError('PGPORT is not a port number');
    const ssl = env.PGSSLMODE;
    if (ssl !== undefined && !(SSL_MODES as readonly string[]).includes(ssl)) throw new BackupUsageError(`PGSSLMODE must be one of ${SSL_MODES.join(', ')}`);
    c = {
      name: '',
      host: env.PGHOST ?? 'localhost',
      port,
      user: env.PGUSER ?? env.USER ?? 'postgres',
      database: env.PGDATABASE ?? 'postgres',
      ...(ssl ? { sslmode: ssl as SslMode } : {}),
    };
  }
  if (database) c = { ...c, database };
  if (hop) c = { ...c, ssh: hop.ssh, ...(hop.identityFile ? { sshIdentityFile: hop.identityFile } : {}) };
  c = { ...c, name: describeProfile(c) };
  const tunnel = hop ? (p: ConnectionProfile) => cliHops(hop, env).endpoint(p) : undefined;
  if (c.password === undefined) return resolveConnection(c, undefined, env, tunnel);
  return tunnel ? { ...c, via: await tunnel(c) } : c;
}
