// Adding, removing and setting the password of connection profiles. The profile goes to
// settings (without the password); the password to VS Code's SecretStorage.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { parseSshTarget } from '../../core/ssh/sshTarget';
import { expandPath } from '../../core/ssh/sshConfig';
import { parseProfile, describeProfile, type ConnectionProfile } from '../../core/db/profile';
import { secretKeyFor } from '../../core/db/passwordSource';
import { readServerVersion } from '../../core/db/serverInfo';
import type { Ctx } from '../ctx';
import { pickProfile } from '../pickProfile';

async function ask(prompt: string, value: string, validate?: (v: string) => string | undefined): Promise<string | undefined> {
  return vscode.window.showInputBox({ prompt, value, ignoreFocusOut: true, validateInput: validate });
}

const portCheck = (v: string) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'a port is a number from 1 to 65535');

const sshCheck = (v: string) => {
  if (!v.trim()) return undefined;
  try {
    parseSshTarget(v);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

/** The hop's two questions: where, and which key (none: the agent, ~/.ssh/config and ~/.ssh's default keys). */
async function askSsh(): Promise<{ ssh?: string; sshIdentityFile?: string } | undefined> {
  const ssh = await ask(
    "SSH to the server's machine, as user@host[:port] or a ~/.ssh/config alias: pgdba then reads its host facts, config files and log, and connects through it. Leave empty to connect directly.",
    '',
    sshCheck,
  );
  if (ssh === undefined || !ssh.trim()) return ssh === undefined ? undefined : {};
  const key = await ask(`SSH key file for ${ssh.trim()} (leave empty to use the SSH agent, ~/.ssh/config or ~/.ssh's default keys)`, '', (v) =>
    !v.trim() || existsSync(expandPath(v.trim(), homedir())) ? undefined : 'no such file',
  );
  if (key === undefined) return undefined;
  return { ssh: ssh.trim(), ...(key.trim() ? { sshIdentityFile: key.trim() } : {}) };
}

/** Guided: name, the SSH hop (optional) and its key, host, port, database, user, sslmode, PgBouncer port, password. */
export const addConnection = (ctx: Ctx) => async () => {
  const existing = new Set(ctx.connections.profiles().map((p) => p.name));
  const name = await ask('A name for this connection (e.g. "hotel production")', '', (v) =>
    !v.trim() ? 'a name is needed' : existing.has(v.trim()) ? 'a connection with this name exists' : undefined,
  );
  if (name === undefined) return undefined;
  const hop = await askSsh();
  if (hop === undefined) return undefined;
  const host = await ask(
    hop.ssh
      ? `Host name or address of the PostgreSQL server as ${hop.ssh} reaches it (127.0.0.1 when it listens only on its own machine)`
      : 'Host name or address of the PostgreSQL server',
    hop.ssh ? '127.0.0.1' : 'localhost',
    (v) => (v.trim() ? undefined : 'a host is needed'),
  );
  if (host === undefined) return undefined;
  const port = await ask('Port of the PostgreSQL server', '5432', portCheck);
  if (port === undefined) return undefined;
  const database = await ask('Database to connect to', 'postgres', (v) => (v.trim() ? undefined : 'a database is needed'));
  if (database === undefined) return undefined;
  const user = await ask('User to connect as', 'postgres', (v) => (v.trim() ? undefined : 'a user is needed'));
  if (user === undefined) return undefined;
  const ssl = await vscode.window.showQuickPick(['prefer', 'disable', 'require', 'verify-ca', 'verify-full'], {
    placeHolder: 'SSL mode for this connection (sslmode)',
    ignoreFocusOut: true,
  });
  if (ssl === undefined) return undefined;
  const bouncer = await ask('PgBouncer port, if a PgBouncer stands in front of this server (leave empty if none)', '', (v) =>
    v === '' ? undefined : portCheck(v),
  );
  if (bouncer === undefined) return undefined;
  const { profile, error } = parseProfile({
    name,
    host,
    port: Number(port),
    database,
    user,
    sslmode: ssl,
    ...(bouncer ? { pgbouncerPort: Number(bouncer) } : {}),
    ...hop,
  });
  if (!profile) throw new Error(error ?? 'invalid profile');
  const password = await vscode.window.showInputBox({
    prompt: `Password for ${describeProfile(profile)} — kept in VS Code's secret storage. Leave empty to use ~/.pgpass or PGPASSWORD.`,
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return undefined;
  if (password) await ctx.extension.secrets.store(secretKeyFor(profile), password);
  await saveProfiles(ctx, [...rawProfiles(), stripUndefined(profile)]);
  ctx.log.info(`added connection ${profile.name} (${describeProfile(profile)})`);
  await testConnection(ctx, profile);
  return profile.name;
};

export const setPassword = (ctx: Ctx) => async (arg?: unknown) => {
  const profile = await pickProfile(ctx, arg);
  if (!profile) return;
  const password = await vscode.window.showInputBox({
    prompt: `New password for ${describeProfile(profile)} (kept in VS Code's secret storage)`,
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return;
  if (password) await ctx.extension.secrets.store(secretKeyFor(profile), password);
  else await ctx.extension.secrets.delete(secretKeyFor(profile));
  ctx.connections.drop(profile.name);
  await vscode.commands.executeCommand('pgdba.refreshServers');
  await testConnection(ctx, profile);
};

export const removeConnection = (ctx: Ctx) => async (arg?: unknown) => {
  const profile = await pickProfile(ctx, arg);
  if (!profile) return;
  const ok = await vscode.window.showWarningMessage(
    `Remove the connection "${profile.name}" (${describeProfile(profile)}) and its stored password? The server is not touched.`,
    { modal: true },
    'Remove',
  );
  if (ok !== 'Remove') return;
  await ctx.extension.secrets.delete(secretKeyFor(profile));
  await saveProfiles(
    ctx,
    rawProfiles().filter((p) => (p as { name?: unknown }).name !== profile.name),
  );
  ctx.connections.drop(profile.name);
};

async function testConnection(ctx: Ctx, profile: ConnectionProfile): Promise<void> {
  try {
    const v = await ctx.connections.use(profile, (pool) => readServerVersion(pool));
    void vscode.window.showInformationMessage(`${profile.name}: connected to PostgreSQL ${v.text}.`);
  } catch (e) {
    ctx.reportError('connection test', e);
  }
}

function rawProfiles(): unknown[] {
  return vscode.workspace.getConfiguration('pgdba').get<unknown[]>('connections', []);
}

function stripUndefined(p: ConnectionProfile): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
}

/** Writes where the profiles already live: the workspace when it defines them, else the user's settings. */
async function saveProfiles(ctx: Ctx, profiles: unknown[]): Promise<void> {
  const c = vscode.workspace.getConfiguration('pgdba');
  const where = c.inspect('connections');
  const target = where?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await c.update('connections', profiles, target);
  ctx.log.info(
    `saved ${profiles.length} connection profile(s) to ${target === vscode.ConfigurationTarget.Workspace ? 'workspace' : 'user'} settings (no passwords)`,
  );
}
