// The console of a profile's PgBouncer as VS Code reaches it: the profile's console (core), its
// password from the secret store (Set PgBouncer Password) or ~/.pgpass, and the words for a failure.
import { consoleProfile, describeConsoleFailure } from '../../core/bouncer/console';
import type { ConnectAdvice } from '../../core/db/connectError';
import { resolveConnection, type PgConnection } from '../../core/db/connection';
import type { ConnectionProfile } from '../../core/db/profile';
import { VSCODE_ADVICE } from '../connectAdvice';
import type { Ctx } from '../ctx';

export const CONSOLE_ADVICE: ConnectAdvice = {
  password: 'set it with the PostgreSQL DBA: Set PgBouncer Password command, or check ~/.pgpass (host:port:pgbouncer:user:password)',
  setting: (name) => VSCODE_ADVICE.setting(name),
};

export const CONSOLE_PORT_SETTING = "the profile's pgbouncerPort (pgdba.connections setting)";

export async function consoleConnection(ctx: Ctx, profile: ConnectionProfile): Promise<PgConnection> {
  const p = consoleProfile(profile);
  if (!p) throw new Error(`The connection "${profile.name}" names no PgBouncer: set pgbouncerPort (and pgbouncerAdminUser) in pgdba.connections.`);
  return resolveConnection(p, ctx.extension.secrets);
}

/** A console failure in words (a ConsoleError is already worded). */
export function consoleFailureText(e: unknown, c: ConnectionProfile): string {
  if (e instanceof Error && e.name === 'ConsoleError') return e.message;
  return describeConsoleFailure(e, c, CONSOLE_ADVICE, CONSOLE_PORT_SETTING);
}
