// A connection profile as kept in settings: everything but the password (connection.ts adds it).

export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface ConnectionProfile {
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode?: SslMode;
  /** Port of a PgBouncer in front of the server, when there is one. */
  pgbouncerPort?: number;
  /** A pg_service.conf service whose password applies to this profile. */
  service?: string;
  /** The SSH hop to the server's machine: `[user@]host[:port]` or an alias of ~/.ssh/config (src/core/ssh/). */
  ssh?: string;
  /** A private key for the hop, when neither the agent nor ~/.ssh/config names one. */
  sshIdentityFile?: string;
  /** The PgBouncer admin console's user (admin_users or stats_users); the console is `pgbouncer` at pgbouncerPort. */
  pgbouncerAdminUser?: string;
}

export const SSL_MODES: readonly SslMode[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Validates untrusted input (settings.json) into a profile, or says what is wrong. */
export function parseProfile(raw: unknown): { profile?: ConnectionProfile; error?: string } {
  if (typeof raw !== 'object' || raw === null) return { error: 'a connection profile must be an object' };
  const r = raw as Record<string, unknown>;
  const name = typeof r.name === 'string' && r.name.trim() ? r.name.trim() : undefined;
  if (!name) return { error: 'a connection profile needs a "name"' };
  const str = (k: string, dflt: string) => (typeof r[k] === 'string' && r[k].trim() ? r[k].trim() : dflt);
  const port = r.port === undefined ? 5432 : Number(r.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: `profile "${name}": port must be 1–65535` };
  const sslmode = r.sslmode === undefined ? undefined : (r.sslmode as SslMode);
  if (sslmode !== undefined && !SSL_MODES.includes(sslmode)) {
    return { error: `profile "${name}": sslmode must be one of ${SSL_MODES.join(', ')}` };
  }
  const pgbouncerPort = r.pgbouncerPort === undefined ? undefined : Number(r.pgbouncerPort);
  if (pgbouncerPort !== undefined && (!Number.isInteger(pgbouncerPort) || pgbouncerPort < 1 || pgbouncerPort > 65535)) {
    return { error: `profile "${name}": pgbouncerPort must be 1–65535` };
  }
  return {
    profile: {
      name,
      host: str('host', 'localhost'),
      port,
      database: str('database', 'postgres'),
      user: str('user', 'postgres'),
      ...(sslmode ? { sslmode } : {}),
      ...(pgbouncerPort ? { pgbouncerPort } : {}),
      ...(typeof r.service === 'string' && r.service.trim() ? { service: r.service.trim() } : {}),
      ...(typeof r.ssh === 'string' && r.ssh.trim() ? { ssh: r.ssh.trim() } : {}),
      ...(typeof r.sshIdentityFile === 'string' && r.sshIdentityFile.trim() ? { sshIdentityFile: r.sshIdentityFile.trim() } : {}),
      ...(typeof r.pgbouncerAdminUser === 'string' && r.pgbouncerAdminUser.trim() ? { pgbouncerAdminUser: r.pgbouncerAdminUser.trim() } : {}),
    },
  };
}

/** "user@host:port/database": how a profile is shown; never includes a password. */
export function describeProfile(p: ConnectionProfile): string {
  return `${p.user}@${p.host}:${p.port}/${p.database}`;
}
