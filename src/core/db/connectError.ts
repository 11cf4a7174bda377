// Why a connection failed, in words a person can act on. The facts are core's; what to do about
// them depends on the front end (a command and a setting in VS Code, PGPASSWORD and --url in a
// terminal), so each front end passes its ConnectAdvice.
import { describeProfile, type ConnectionProfile } from './profile';
import { forwardFailure } from '../ssh/forwardFailures';

export type ConnectionSetting = 'host' | 'port' | 'database' | 'user';

export interface ConnectAdvice {
  /** How to give a missing or wrong password, as a clause: "check PGPASSWORD or ~/.pgpass". */
  password: string;
  /** Where a setting of the connection lives: "the profile's host (pgdba.connections setting)". */
  setting(name: ConnectionSetting): string;
}

/** A pg Client or Pool could not connect; error is what pg or the network said. */
export class ConnectFailure extends Error {
  constructor(
    readonly error: unknown,
    /** The profile, with its tunnel's loopback end when it has one (never the password). */
    readonly connection: ConnectionProfile & { via?: { host: string; port: number } },
  ) {
    super(explainConnectError(error, connection));
    this.name = 'ConnectFailure';
  }
}

/** Errors that mean "could not connect" rather than "the query failed". */
export function isConnectFailure(e: unknown): boolean {
  if (e instanceof ConnectFailure) return true;
  const code = (e as { code?: string }).code;
  if (code && /^(E[A-Z]+|28P01|28000|3D000|57P0[123])$/.test(code)) return true;
  return /password must be a string|SASL|Connection terminated|timeout expired/i.test((e as Error).message ?? '');
}

/** node-postgres's error when query_timeout fires: the query may still run, the connection is unusable. */
export function isQueryTimeout(e: unknown): boolean {
  return e instanceof Error && e.message === 'Query read timeout';
}

/** pg's and pg-pool's words when the connect or login deadline passed. */
const CONNECT_DEADLINE = /timeout expired|connection timeout|timeout exceeded when trying to connect/i;

const messageOf = (e: unknown): string => (e as { message?: string }).message ?? String(e);

/** A connection closed before the server said anything: what a tunnel does when its forward failed. */
const CLOSED_UNANSWERED = /Connection terminated unexpectedly|server closed the connection unexpectedly/i;

/**
 * One sentence for a connect error; without advice it states the facts only (logs, manifests). A
 * connection through an SSH tunnel (`via`, the loopback end) that was closed unanswered carries the
 * reason the tunnel's forward failed, which the client itself never saw.
 */
export function explainConnectError(e: unknown, c: ConnectionProfile & { via?: { host: string; port: number } }, advice?: ConnectAdvice): string {
  if (e instanceof ConnectFailure) return explainConnectError(e.error, e.connection, advice);
  const err = e as { code?: string; message?: string };
  if (c.via && (err.code === 'ECONNRESET' || err.code === 'EPIPE' || CLOSED_UNANSWERED.test(err.message ?? ''))) {
    const why = forwardFailure(c.via);
    if (why) return why.message;
  }
  const where = `${c.host}:${c.port}`;
  const then = (clause: string | undefined) => (clause ? `: ${clause}.` : '.');
  switch (err.code) {
    case 'ECONNREFUSED':
      return `No PostgreSQL server answers at ${where}: is it running, and is ${advice ? advice.setting('port') : 'the port'} right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Host "${c.host}" is unknown${then(advice && `check ${advice.setting('host')}`)}`;
    case 'ETIMEDOUT':
      return `Connecting to ${where} timed out: check the host, the port and any firewall.`;
    case '28P01':
      return `Password authentication failed for user "${c.user}" at ${where}${then(advice?.password)}`;
    case '28000':
      if (/pg_hba\.conf/.test(err.message ?? ''))
        return `The server at ${where} refused user "${c.user}" (pg_hba.conf has no line for this host, user and database).`;
      if (/role .* does not exist/.test(err.message ?? ''))
        return `Role "${c.user}" does not exist on ${where}${then(advice && `check ${advice.setting('user')}`)}`;
      return `The server at ${where} refused user "${c.user}": ${messageOf(e)}`;
    case '3D000':
      return `Database "${c.database}" does not exist on ${where}${then(advice && `check ${advice.setting('database')}`)}`;
    case '57P03':
      return `The server at ${where} is starting up or shutting down: try again in a moment.`;
    default:
      if (isQueryTimeout(e))
        return `The server at ${where} did not answer a query before the deadline: it may be stalled (disk, locks, network). pgdba closed the connection.`;
      if (CONNECT_DEADLINE.test(err.message ?? ''))
        return `The server at ${where} did not complete the login before the deadline: it may be stalled or overloaded, or the network drops packets.`;
      if (/password must be a string|SASL: .*password|no password/i.test(err.message ?? '')) {
        return `No password for ${c.user}@${where}${then(advice?.password)}`;
      }
      return `Cannot connect to ${describeProfile(c)}: ${messageOf(e)}`;
  }
}

/** The words a front end shows for any failure: connect failures with its advice, else the message. */
export function errorText(e: unknown, advice: ConnectAdvice): string {
  if (e instanceof ConnectFailure) return explainConnectError(e, e.connection, advice);
  if (isQueryTimeout(e)) return 'The server did not answer a query before the deadline: it may be stalled (disk, locks, network). pgdba closed the connection.';
  return e instanceof Error ? e.message : String(e);
}
