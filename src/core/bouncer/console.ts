// PgBouncer's admin console: the database "pgbouncer" at the profile's pgbouncerPort, as the user
// from admin_users or stats_users. It speaks the simple query protocol only (no Parse/Bind), so
// every statement goes as text with no parameters — node-postgres sends a query without values
// and without a name as one simple Query message. It is reached through the one connection
// model (clientConfig, its deadlines, the SSH hop when the profile has one).
import pg from 'pg';
import { ConnectFailure, explainConnectError, type ConnectAdvice } from '../db/connectError';
import { clientConfig, type Deadlines, type PgConnection } from '../db/connection';
import type { ConnectionProfile } from '../db/profile';

export const CONSOLE_DATABASE = 'pgbouncer';

/** A console answer's row: every column by name, as the console sent it (numbers for int4, text for the rest). */
export type ConsoleRow = Readonly<Record<string, string | number | null>>;

/** The console's profile for a server's profile; undefined when the profile names no PgBouncer port. */
export function consoleProfile(p: ConnectionProfile): ConnectionProfile | undefined {
  if (p.pgbouncerPort === undefined) return undefined;
  const { pgbouncerPort, pgbouncerAdminUser, service: _service, ...rest } = p;
  return { ...rest, name: `${p.name} (PgBouncer)`, port: pgbouncerPort, user: pgbouncerAdminUser ?? p.user, database: CONSOLE_DATABASE };
}

/** What the console said no to, or could not be reached for, in words. */
export class ConsoleError extends Error {
  override readonly name = 'ConsoleError';
}

/**
 * Why the console could not be reached, in words: the port is the profile's pgbouncerPort (or the
 * CLI's --url), and a user the console does not know is named as such.
 */
export function describeConsoleFailure(e: unknown, c: ConnectionProfile, advice?: ConnectAdvice, portSetting = "the profile's pgbouncerPort"): string {
  const err = (e instanceof ConnectFailure ? e.error : e) as { code?: string; message?: string };
  const where = `PgBouncer's console at ${c.host}:${c.port}`;
  if (err.code === 'ECONNREFUSED') return `${where} does not answer: is PgBouncer running, and is ${portSetting} right?`;
  if (/not allowed/i.test(err.message ?? ''))
    return `${where} refused "${c.user}": the console admits only users of admin_users and stats_users in pgbouncer.ini (set pgbouncerAdminUser to one of them).`;
  if (/no such database/i.test(err.message ?? '')) return `${where}: ${c.port} is not a PgBouncer's port (no database "pgbouncer"): check ${portSetting}.`;
  return `${where}: ${explainConnectError(e, c, advice)}`;
}

/** The commands pgdba sends: SHOW …, and the admin commands (admin.ts). Never a parameter, never SQL of a person. */
export type ShowWhat = 'POOLS' | 'STATS' | 'DATABASES' | 'CLIENTS' | 'SERVERS' | 'CONFIG' | 'LISTS' | 'VERSION' | 'USERS';

export const CONSOLE_DEADLINES: Required<Deadlines> = { connectMs: 5_000, queryMs: 10_000 };

export class BouncerConsole {
  private constructor(
    private readonly client: pg.Client,
    readonly connection: PgConnection,
  ) {}

  /** Connects; a failure is a ConnectFailure (explainConnectError words it), a refusal by the console included. */
  static async open(c: PgConnection, deadlines: Deadlines = CONSOLE_DEADLINES): Promise<BouncerConsole> {
    const client = new pg.Client(clientConfig(c, { ...CONSOLE_DEADLINES, ...deadlines }));
    client.on('error', () => undefined); // the next query reports a lost console
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => undefined);
      throw new ConnectFailure(e, c);
    }
    return new BouncerConsole(client, c);
  }

  /** One SHOW; the rows by column name, new columns of a newer PgBouncer kept as they come. */
  async show(what: ShowWhat): Promise<ConsoleRow[]> {
    return this.simple(`SHOW ${what}`);
  }

  /** A statement text sent as one simple Query: no values, no name (the console refuses the extended protocol). */
  async simple(text: string): Promise<ConsoleRow[]> {
    try {
      const r = await this.client.query<Record<string, string | number | null>>(text);
      return r.rows;
    } catch (e) {
      throw new ConsoleError(`PgBouncer at ${this.connection.host}:${this.connection.port} refused "${text}": ${(e as Error).message}`);
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/** One console for fn, closed after it. */
export async function withConsole<T>(c: PgConnection, fn: (con: BouncerConsole) => Promise<T>, deadlines?: Deadlines): Promise<T> {
  const con = await BouncerConsole.open(c, deadlines);
  try {
    return await fn(con);
  } finally {
    await con.close();
  }
}
