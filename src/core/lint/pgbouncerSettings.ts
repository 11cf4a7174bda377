// PgBouncer's settings and their value types. There is no server to generate this from, so it is
// a table, taken from PgBouncer's own documentation (doc/config.md in github.com/pgbouncer/pgbouncer,
// "Generic settings" through "Low-level network settings", and the [databases], [users] and
// [peers] sections) and the CF_INT / CF_TIME_USEC / CF_LOOKUP types of src/main.c.
// Integers are read with strtol(…, 0) (so 0x1F and 0777 work), times with strtod in seconds,
// lookups case-insensitively.

export type PgbValueType =
  | { kind: 'int'; min?: number; max?: number }
  | { kind: 'time' }
  | { kind: 'str' }
  | { kind: 'enum'; values: readonly string[]; /** PgBouncer stores it as text and checks it only when used. */ lenient?: boolean };

export interface PgbSetting {
  type: PgbValueType;
  default?: string;
  doc: string;
}

const INT: PgbValueType = { kind: 'int', min: 0 };
const BOOL: PgbValueType = { kind: 'int', min: 0, max: 1 };
const TIME: PgbValueType = { kind: 'time' };
const STR: PgbValueType = { kind: 'str' };
const POOL_MODES = ['session', 'transaction', 'statement'] as const;
const AUTH_TYPES = ['cert', 'md5', 'scram-sha-256', 'plain', 'trust', 'any', 'hba', 'ldap', 'pam'] as const;
const SSLMODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

const s = (type: PgbValueType, def: string | undefined, doc: string): PgbSetting => ({ type, default: def, doc });

/** Keys of the [pgbouncer] section. */
export const PGBOUNCER_SETTINGS: Record<string, PgbSetting> = {
  logfile: s(STR, '', 'Log file.'),
  pidfile: s(STR, '', 'PID file; required for daemonization (-d).'),
  listen_addr: s(STR, '', 'Comma-separated addresses to listen on for TCP, or * for all; unset means Unix sockets only.'),
  listen_port: s({ kind: 'int', min: 1, max: 65535 }, '6432', 'Port to listen on, TCP and Unix sockets.'),
  unix_socket_dir: s(STR, '/tmp', 'Directory of the Unix socket; empty disables Unix sockets.'),
  unix_socket_mode: s(INT, '0777', 'File mode of the Unix socket.'),
  unix_socket_group: s(STR, '', 'Group of the Unix socket.'),
  user: s(STR, undefined, 'Unix user to switch to after startup.'),
  pool_mode: s({ kind: 'enum', values: POOL_MODES }, 'session', 'When a server connection is given back to the pool: session, transaction or statement.'),
  max_client_conn: s(INT, '100', 'Maximum number of client connections.'),
  default_pool_size: s(INT, '20', 'Server connections per user/database pair, unless pool_size overrides it.'),
  min_pool_size: s(INT, '0', 'Keep at least this many server connections in a pool.'),
  reserve_pool_size: s(INT, '0', 'Extra connections a pool may open when a client waited reserve_pool_timeout.'),
  reserve_pool_timeout: s(TIME, '5.0', 'Seconds a client waits before the reserve pool is used.'),
  max_db_connections: s(INT, '0', 'Maximum server connections per database, all users together (0 = unlimited).'),
  max_db_client_connections: s(INT, '0', 'Maximum client connections per database (0 = unlimited).'),
  max_user_connections: s(INT, '0', 'Maximum server connections per user, all databases together (0 = unlimited).'),
  max_user_client_connections: s(INT, '0', 'Maximum client connections per user (0 = unlimited).'),
  server_round_robin: s(BOOL, '0', 'Reuse server connections round-robin instead of LIFO.'),
  track_extra_parameters: s(STR, 'IntervalStyle', 'Extra startup parameters tracked per client.'),
  ignore_startup_parameters: s(STR, '', 'Startup parameters PgBouncer ignores instead of refusing.'),
  peer_id: s({ kind: 'int', min: 0, max: 16383 }, '0', 'Id of this process in a group of peered PgBouncers (0 = peering off).'),
  disable_pqexec: s(BOOL, '0', 'Refuse the Simple Query protocol.'),
  application_name_add_host: s(BOOL, '0', 'Append client host and port to application_name.'),
  conffile: s(STR, undefined, 'Location of the current config file.'),
  service_name: s(STR, 'pgbouncer', 'Windows service name.'),
  job_name: s(STR, 'pgbouncer', 'Alias for service_name.'),
  stats_period: s(INT, '60', 'Seconds between statistics updates.'),
  max_prepared_statements: s(INT, '200', 'Protocol-level prepared statements tracked per server connection in transaction and statement pooling (0 = off).'),
  scram_iterations: s({ kind: 'int', min: 1 }, '4096', 'SCRAM-SHA-256 iterations when PgBouncer hashes a password.'),
  auth_type: s({ kind: 'enum', values: AUTH_TYPES }, 'md5', 'How clients authenticate: cert, md5, scram-sha-256, plain, trust, any, hba, ldap or pam.'),
  auth_hba_file: s(STR, '', 'HBA file used when auth_type is hba.'),
  auth_ident_file: s(STR, '', 'Ident map file used with auth_type hba.'),
  auth_file: s(STR, undefined, 'File with user names and passwords (plain, MD5 or SCRAM secrets).'),
  auth_user: s(STR, undefined, 'User that runs auth_query for users not in auth_file.'),
  auth_query: s(STR, undefined, "Query that loads a user's password hash from the database."),
  auth_dbname: s(STR, undefined, 'Database used for auth_query.'),
  auth_ldap_options: s(STR, undefined, 'LDAP options when auth_type is ldap.'),
  syslog: s(BOOL, '0', 'Log to syslog.'),
  syslog_ident: s(STR, 'pgbouncer', 'Program name in syslog.'),
  syslog_facility: s(
    {
      kind: 'enum',
      lenient: true,
      values: ['auth', 'authpriv', 'daemon', 'user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'],
    },
    'daemon',
    'Syslog facility.',
  ),
  log_connections: s(BOOL, '1', 'Log successful logins.'),
  log_disconnections: s(BOOL, '1', 'Log disconnections with reasons.'),
  log_pooler_errors: s(BOOL, '1', 'Log errors the pooler sends to clients.'),
  log_stats: s(BOOL, '1', 'Write aggregated statistics to the log.'),
  verbose: s(INT, '0', 'Verbosity, 0..3.'),
  admin_users: s(STR, '', 'Users allowed to run every console command.'),
  stats_users: s(STR, '', 'Users allowed to run SHOW commands on the console.'),
  server_reset_query: s(STR, 'DISCARD ALL', 'Query run when a server connection is released in session pooling.'),
  server_reset_query_always: s(BOOL, '0', 'Run server_reset_query in every pooling mode.'),
  server_check_delay: s(TIME, '30.0', 'Seconds a released connection is reused without server_check_query.'),
  server_check_query: s(STR, '<empty>', 'Query that checks a server connection is alive.'),
  server_fast_close: s(BOOL, '0', 'Close server connections in "close_needed" state at the end of a transaction.'),
  server_lifetime: s(TIME, '3600.0', 'Seconds after which an unused server connection is closed.'),
  server_idle_timeout: s(TIME, '600.0', 'Seconds after which an idle server connection is closed.'),
  server_connect_timeout: s(TIME, '15.0', 'Seconds allowed for connecting and logging in to the server.'),
  server_login_retry: s(TIME, '15.0', 'Seconds to wait after a failed server login.'),
  client_login_timeout: s(TIME, '60.0', 'Seconds a client has to log in.'),
  autodb_idle_timeout: s(TIME, '3600.0', 'Seconds after which unused pools of "*" databases are freed.'),
  pool_idle_timeout: s(TIME, '0', 'Seconds after which a pool without connections is freed (0 = never).'),
  dns_max_ttl: s(TIME, '15.0', 'Seconds DNS answers are cached.'),
  dns_nxdomain_ttl: s(TIME, '15.0', 'Seconds DNS errors are cached.'),
  dns_zone_check_period: s(TIME, '0.0', 'Seconds between DNS zone serial checks (c-ares only).'),
  resolv_conf: s(STR, '', 'Custom resolv.conf.'),
  query_wait_notify: s(TIME, '5', 'Seconds in the queue before a client is told it is queued.'),
  login_notify_message: s(STR, '', 'Notice sent to clients after login.'),
  client_tls_sslmode: s({ kind: 'enum', values: SSLMODES }, 'disable', 'TLS mode for client connections.'),
  client_tls_key_file: s(STR, undefined, 'Private key for client TLS.'),
  client_tls_cert_file: s(STR, undefined, 'Certificate for client TLS.'),
  client_tls_ca_file: s(STR, undefined, 'CA to validate client certificates.'),
  client_tls_protocols: s(STR, 'secure', 'Allowed TLS versions for clients.'),
  client_tls_ciphers: s(STR, 'default', 'Allowed TLS ciphers for clients.'),
  client_tls13_ciphers: s(STR, '', 'Allowed TLS 1.3 ciphers for clients.'),
  client_tls_ecdhcurve: s(STR, 'auto', 'ECDH curve for clients.'),
  client_tls_dheparams: s(STR, 'auto', 'DHE parameters for clients.'),
  server_tls_sslmode: s({ kind: 'enum', values: SSLMODES }, 'prefer', 'TLS mode for server connections.'),
  server_tls_ca_file: s(STR, undefined, 'CA to validate server certificates.'),
  server_tls_key_file: s(STR, undefined, 'Private key for server TLS.'),
  server_tls_cert_file: s(STR, undefined, 'Certificate for server TLS.'),
  server_tls_protocols: s(STR, 'secure', 'Allowed TLS versions for servers.'),
  server_tls_ciphers: s(STR, 'default', 'Allowed TLS ciphers for servers.'),
  server_tls13_ciphers: s(STR, '', 'Allowed TLS 1.3 ciphers for servers.'),
  query_timeout: s(TIME, '0.0', 'Cancel queries running longer (0 = off).'),
  query_wait_timeout: s(TIME, '120.0', 'Disconnect clients waiting longer for a server (0 = wait forever).'),
  cancel_wait_timeout: s(TIME, '10.0', 'Drop cancel requests waiting longer.'),
  client_idle_timeout: s(TIME, '0.0', 'Close client connections idle longer (0 = off).'),
  idle_transaction_timeout: s(TIME, '0.0', 'Disconnect clients idle in transaction longer (0 = off).'),
  transaction_timeout: s(TIME, '0.0', 'Disconnect clients in a transaction longer (0 = off).'),
  suspend_timeout: s(TIME, '10', 'Seconds to wait for buffer flush during SUSPEND or reboot.'),
  pkt_buf: s(INT, '4096', 'Internal packet buffer size.'),
  max_packet_size: s(INT, '2147483647', 'Largest PostgreSQL packet allowed through.'),
  listen_backlog: s(INT, '128', 'listen(2) backlog.'),
  sbuf_loopcnt: s(INT, '5', 'Rounds of data processed on one connection before moving on.'),
  so_reuseport: s(BOOL, '0', 'Set SO_REUSEPORT on listening sockets.'),
  tcp_defer_accept: s(INT, '1', 'TCP_DEFER_ACCEPT (Linux).'),
  tcp_socket_buffer: s(INT, undefined, 'Socket buffer size.'),
  tcp_keepalive: s(BOOL, '1', 'TCP keepalive with OS defaults.'),
  tcp_keepcnt: s(INT, undefined, 'TCP keepalive count.'),
  tcp_keepidle: s(INT, undefined, 'TCP keepalive idle time.'),
  tcp_keepintvl: s(INT, undefined, 'TCP keepalive interval.'),
  tcp_user_timeout: s(INT, '0', 'TCP_USER_TIMEOUT in milliseconds (Linux).'),
};

/** Connection-string keys of a [databases] entry. */
export const DATABASE_PARAMS: Record<string, PgbValueType> = {
  dbname: STR,
  host: STR,
  port: { kind: 'int', min: 1, max: 65535 },
  user: STR,
  password: STR,
  auth_user: STR,
  auth_query: STR,
  auth_dbname: STR,
  pool_size: INT,
  min_pool_size: INT,
  reserve_pool_size: INT,
  reserve_pool: INT,
  connect_query: STR,
  pool_mode: { kind: 'enum', values: POOL_MODES },
  query_wait_timeout: { kind: 'int', min: -1 },
  load_balance_hosts: { kind: 'enum', values: ['round-robin', 'disable'] },
  target_session_attrs: { kind: 'enum', values: ['any', 'read-write', 'read-only', 'primary', 'standby'] },
  max_db_connections: INT,
  max_db_client_connections: INT,
  server_lifetime: TIME,
  client_encoding: STR,
  datestyle: STR,
  timezone: STR,
  application_name: STR,
};

/** Keys of a [users] entry. */
export const USER_PARAMS: Record<string, PgbValueType> = {
  pool_size: INT,
  reserve_pool_size: INT,
  pool_mode: { kind: 'enum', values: POOL_MODES },
  max_user_connections: INT,
  query_timeout: TIME,
  query_wait_timeout: { kind: 'int', min: -1 },
  idle_transaction_timeout: TIME,
  transaction_timeout: TIME,
  client_idle_timeout: TIME,
  max_user_client_connections: INT,
};

/** Keys of a [peers] entry. */
export const PEER_PARAMS: Record<string, PgbValueType> = { host: STR, port: { kind: 'int', min: 1, max: 65535 }, pool_size: INT };

export const SECTIONS = ['pgbouncer', 'databases', 'users', 'peers'] as const;

/** strtol(s, &end, 0) with the whole string consumed, as cf_set_int demands. */
export function parseCInt(text: string): number | undefined {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(text);
  if (!m) return undefined;
  const body = m[2] ?? '';
  const n = /^0[xX]/.test(body) ? parseInt(body.slice(2), 16) : body.length > 1 && body.startsWith('0') ? parseInt(body, 8) : Number(body);
  return m[1] === '-' ? -n : n;
}

export interface ValueProblem {
  /** error: PgBouncer refuses to load the file; warning: it loads, but the value is wrong. */
  severity: 'error' | 'warning';
  message: string;
}

/**
 * A problem with a value of the given type, or undefined when it is fine. PgBouncer refuses what
 * its parsers reject (cf_set_int, parse_time, cf_set_lookup); ranges it never checks, and the
 * integers of a connection string it reads with atoi, so those are warnings.
 */
export function checkValue(type: PgbValueType, value: string, atoi = false): ValueProblem | undefined {
  switch (type.kind) {
    case 'str':
      return undefined;
    case 'int': {
      const n = parseCInt(value);
      if (n === undefined)
        return atoi
          ? { severity: 'warning', message: `"${value}" is not an integer (PgBouncer reads it as ${Number.parseInt(value, 10) || 0})` }
          : { severity: 'error', message: `"${value}" is not an integer` };
      if (type.min !== undefined && n < type.min)
        return { severity: 'warning', message: `${n} is below the minimum ${type.min} (PgBouncer loads it, but it cannot work)` };
      if (type.max !== undefined && n > type.max)
        return { severity: 'warning', message: `${n} is above the maximum ${type.max} (PgBouncer loads it, but it cannot work)` };
      return undefined;
    }
    case 'time':
      return /^\s*\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)
        ? undefined
        : { severity: 'error', message: `"${value}" is not a number of seconds (no units, not negative)` };
    case 'enum':
      return type.values.some((v) => v.toLowerCase() === value.toLowerCase())
        ? undefined
        : { severity: type.lenient ? 'warning' : 'error', message: `"${value}" is not one of ${type.values.join(', ')}` };
  }
}
