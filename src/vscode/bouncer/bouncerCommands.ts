// PgBouncer's admin commands from the tree: PAUSE / RESUME / KILL a database, RELOAD, RECONNECT.
// A user of stats_users only is refused with the reason before anything is asked; otherwise a
// modal says what the command does and the exact text sent, and nothing runs without "yes".
import * as vscode from 'vscode';
import { adminRefusal, adminStatement, describeAdmin, runAdmin, type AdminAction } from '../../core/bouncer/admin';
import { ConsoleError, withConsole } from '../../core/bouncer/console';
import { configMap } from '../../core/bouncer/showRows';
import { secretKeyFor } from '../../core/db/passwordSource';
import { consoleProfile } from '../../core/bouncer/console';
import type { CommandFactory, Ctx } from '../ctx';
import { nodeData } from '../explorer/nodeData';
import { pickProfile } from '../pickProfile';
import { consoleConnection, consoleFailureText } from './bouncerConnection';

const LABELS: Record<AdminAction['kind'], string> = { pause: 'Pause', resume: 'Resume', kill: 'Kill', reload: 'Reload', reconnect: 'Reconnect' };

async function run(ctx: Ctx, profileName: string, action: AdminAction): Promise<void> {
  const profile = ctx.connections.find(profileName);
  if (!profile) throw new Error(`no connection named "${profileName}"`);
  const c = await consoleConnection(ctx, profile);
  const statement = adminStatement(action);
  try {
    const refusal = await withConsole(c, async (con) => adminRefusal(configMap(await con.show('CONFIG')), c.user));
    if (refusal) throw new ConsoleError(`${statement} refused: ${refusal}`);
  } catch (e) {
    throw new Error(consoleFailureText(e, c));
  }
  const label = LABELS[action.kind];
  const pick = await vscode.window.showWarningMessage(
    describeAdmin(action),
    { modal: true, detail: `Sent to PgBouncer's console at ${c.host}:${c.port} as ${c.user}:\n${statement}` },
    label,
  );
  if (pick !== label) return;
  try {
    await withConsole(c, (con) => runAdmin(con, action));
  } catch (e) {
    throw new Error(consoleFailureText(e, c));
  }
  ctx.log.info(`${profileName}: PgBouncer ${statement} done`);
  void vscode.window.showInformationMessage(`PgBouncer: ${statement} done.`);
  ctx.explorer.refresh();
}

const onDatabase =
  (kind: 'pause' | 'resume' | 'kill'): CommandFactory =>
  (ctx) =>
  async (arg?: unknown) => {
    const d = nodeData(arg, 'bouncerDatabase');
    if (!d) throw new Error('Pick a database under a server’s PgBouncer branch.');
    await run(ctx, d.profileName, { kind, database: d.database });
  };

export const bouncerPause = onDatabase('pause');
export const bouncerResume = onDatabase('resume');
export const bouncerKill = onDatabase('kill');

export const bouncerReload: CommandFactory = (ctx) => async (arg?: unknown) => {
  const d = nodeData(arg, 'bouncer');
  const profile = d ? ctx.connections.find(d.profileName) : await pickProfile(ctx, arg);
  if (profile) await run(ctx, profile.name, { kind: 'reload' });
};

export const bouncerReconnect: CommandFactory = (ctx) => async (arg?: unknown) => {
  const d = nodeData(arg, 'bouncer', 'bouncerDatabase');
  if (d?.kind === 'bouncerDatabase') return run(ctx, d.profileName, { kind: 'reconnect', database: d.database });
  const profile = d ? ctx.connections.find(d.profileName) : await pickProfile(ctx, arg);
  if (profile) await run(ctx, profile.name, { kind: 'reconnect' });
};

/** The console user's password, kept in the secret store under the console's own profile name. */
export const setBouncerPassword: CommandFactory = (ctx) => async (arg?: unknown) => {
  const d = nodeData(arg, 'bouncer');
  const profile = d ? ctx.connections.find(d.profileName) : await pickProfile(ctx, arg);
  if (!profile) return;
  const p = consoleProfile(profile);
  if (!p) throw new Error(`The connection "${profile.name}" names no PgBouncer: set pgbouncerPort in pgdba.connections.`);
  const password = await vscode.window.showInputBox({
    prompt: `Password of ${p.user} for PgBouncer's console at ${p.host}:${p.port} (kept in VS Code's secret storage; empty: ~/.pgpass)`,
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return;
  if (password) await ctx.extension.secrets.store(secretKeyFor(p), password);
  else await ctx.extension.secrets.delete(secretKeyFor(p));
  ctx.explorer.refresh();
};
