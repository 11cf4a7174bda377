// The server's own files in the editor: a FileSystemProvider (scheme pgdba-server, the profile in
// the authority, the path on the server's machine as the URI's path) over HostAccess, and what the
// linter needs for such a document (that server's major, running values, includes and neighbours).
// Saving goes through the core's saveServerFile (.bak, atomic, refusal with the sudo command);
// then the person is told per parameter what the change needs, with a Reload button that the
// core refuses while a file has a lint error.
import * as vscode from 'vscode';
import { warnAll } from '../notices';
import { readServerVersion } from '../../core/db/serverInfo';
import type { ConnectionProfile } from '../../core/db/profile';
import { readRunningValues } from '../../core/stats/runningValues';
import { MAX_CONF_FILE_BYTES } from '../../core/conf/confIncludes';
import { confStatOf } from '../../core/serverfiles/hostConfTree';
import { pgbouncerConfFile } from '../../core/serverfiles/locate';
import {
  lintServerConfig,
  openServerConfig,
  readServerConfig,
  reloadServerConfig,
  serverLintFiles,
  type ServerConfig,
} from '../../core/serverfiles/serverConfig';
import { ServerFileRefusedError, saveServerFile } from '../../core/serverfiles/saveServerFile';
import { describeChanges, type ChangeReport } from '../../core/serverfiles/changes';
import type { ReloadReport } from '../../core/serverfiles/reload';
import type { LintFiles } from '../../core/lint/lintFiles';
import type { ConfFileType } from '../../core/lint/lintLanguages';
import { readServerFacts, type HostFacts } from '../../core/host/facts';
import type { Ctx } from '../ctx';

export const SERVER_FILE_SCHEME = 'pgdba-server';

/** What lint takes for a document of the server's own: that server's values and files. */
export interface ServerLintContext {
  path: string;
  major: number;
  runningValues?: Readonly<Record<string, string>>;
  files: LintFiles;
  local: boolean;
  /** The server machine's facts (RAM, CPUs, disk), when they could be read. */
  hostFacts?: HostFacts;
}

export function serverFileUri(profileName: string, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SERVER_FILE_SCHEME, authority: encodeURIComponent(profileName), path });
}

function profileNameOf(uri: vscode.Uri): string {
  return decodeURIComponent(uri.authority);
}

export class ServerFiles implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** Per profile: its configuration as last read (a save reads it again). */
  private readonly configs = new Map<string, Promise<ServerConfig>>();
  private readonly known = new Map<string, ServerConfig>();
  private readonly facts = new Map<string, HostFacts>();
  /** Fires when a profile's configuration was read again (its documents are linted anew). */
  private readonly reread = new vscode.EventEmitter<void>();
  readonly onDidReread = this.reread.event;

  constructor(private readonly ctx: Ctx) {}

  private profile(name: string): ConnectionProfile {
    const p = this.ctx.connections.find(name);
    if (!p) throw vscode.FileSystemError.Unavailable(`no connection named "${name}" in pgdba.connections`);
    return p;
  }

  /** The profile's configuration: paths from the server, the files from its machine. */
  config(profileName: string, fresh = false): Promise<ServerConfig> {
    let p = fresh ? undefined : this.configs.get(profileName);
    if (!p) {
      p = this.read(profileName);
      this.configs.set(profileName, p);
      p.then(
        (c) => {
          this.known.set(profileName, c);
          this.reread.fire();
        },
        () => this.configs.delete(profileName),
      );
    }
    return p;
  }

  private async read(profileName: string): Promise<ServerConfig> {
    const profile = this.profile(profileName);
    const host = this.ctx.connections.host(profile);
    const { major, runningValues } = await this.ctx.connections.use(profile, async (pool) => {
      const v = await readServerVersion(pool);
      return { major: v.major, runningValues: await readRunningValues(pool, { versionNum: v.num }) };
    });
    const pgbouncerIni = await this.pgbouncerIni(profile);
    const facts = await this.ctx.connections
      .use(profile, (pool) => readServerFacts({ profile, db: pool, openSsh: () => Promise.resolve(host) }))
      .catch(() => undefined);
    if (facts) this.facts.set(profileName, facts);
    else this.facts.delete(profileName);
    const old = this.known.get(profileName);
    if (old) return readServerConfig(host, old.paths, { major, runningValues, pgbouncerIni });
    return this.ctx.connections.use(profile, (pool) => openServerConfig(host, pool, { major, runningValues, pgbouncerIni }));
  }

  /** pgbouncer.ini from the profile's PgBouncer console, when it has one and it answers. */
  private async pgbouncerIni(profile: ConnectionProfile): Promise<string | undefined> {
    if (profile.pgbouncerPort === undefined || !profile.pgbouncerAdminUser) return undefined;
    // A profile of its own: the console's pool must not mark the server's pools as PgBouncer's.
    const console: ConnectionProfile = {
      ...profile,
      name: `${profile.name} (PgBouncer console)`,
      user: profile.pgbouncerAdminUser,
      port: profile.pgbouncerPort,
      database: 'pgbouncer',
    };
    try {
      return await this.ctx.connections.use(console, (pool) => pgbouncerConfFile(pool));
    } catch (e) {
      this.ctx.log.warn(`${profile.name}: PgBouncer's console did not say where pgbouncer.ini is: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /** Lint context of a document of this scheme, once its server's configuration was read. */
  lintContext(uri: vscode.Uri): ServerLintContext | undefined {
    if (uri.scheme !== SERVER_FILE_SCHEME) return undefined;
    const name = profileNameOf(uri);
    const cfg = this.known.get(name);
    if (!cfg) {
      void this.config(name).catch(() => undefined); // linted again when read
      return undefined;
    }
    const edited = (path: string) =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === SERVER_FILE_SCHEME && d.uri.authority === uri.authority && d.uri.path === path)?.getText();
    const hostFacts = this.facts.get(name);
    return {
      path: uri.path,
      major: cfg.major,
      runningValues: cfg.runningValues,
      files: serverLintFiles(cfg, edited),
      local: cfg.host.kind === 'local',
      ...(hostFacts ? { hostFacts } : {}),
    };
  }

  /** The files to open: postgresql.conf, pg_hba.conf, pgbouncer.ini when known. */
  async open(profileName: string): Promise<vscode.Uri[]> {
    const cfg = await this.config(profileName, true);
    warnAll(
      '',
      cfg.unreadable.map((u) => `${u.path}: ${u.reason}`),
    );
    // The profile's documents already open show each file as it is now on the server's machine
    // (VS Code reloads a clean document on a change event; an edited one keeps its edits).
    const open = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === SERVER_FILE_SCHEME && profileNameOf(d.uri) === profileName);
    if (open.length) this.changed.fire(open.map((d) => ({ type: vscode.FileChangeType.Changed, uri: d.uri })));
    return cfg.targets.map((t) => serverFileUri(profileName, t.path));
  }

  // FileSystemProvider

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined); // the provider's own saves fire changes; no polling of the host
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const cfg = await this.config(profileNameOf(uri));
    const st = await cfg.host.stat(uri.path);
    if (!st) throw vscode.FileSystemError.FileNotFound(uri);
    return {
      type: st.isDirectory ? vscode.FileType.Directory : vscode.FileType.File,
      ctime: st.mtimeMs,
      mtime: st.mtimeMs,
      size: st.size,
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const cfg = await this.config(profileNameOf(uri));
    const st = await cfg.host.stat(uri.path);
    if (!st) throw vscode.FileSystemError.FileNotFound(uri);
    if (confStatOf(st).kind !== 'file') throw vscode.FileSystemError.FileIsADirectory(uri);
    return cfg.host.readFile(uri.path, { maxBytes: MAX_CONF_FILE_BYTES });
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const name = profileNameOf(uri);
    const cfg = await this.config(name);
    const path = uri.path;
    const before = (await cfg.host.readFile(path, { maxBytes: MAX_CONF_FILE_BYTES })).toString('utf8');
    const text = Buffer.from(content).toString('utf8');
    try {
      const saved = await saveServerFile(cfg.host, path, text);
      this.ctx.log.info(`${name}: saved ${path} (its previous text in ${saved.backup})`);
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
      const type = typeOf(cfg, path);
      const fresh = await this.config(name, true);
      void this.announce(name, fresh, path, saved.backup, describeChanges(type, before, text, cfg.major));
    } catch (e) {
      if (e instanceof ServerFileRefusedError) {
        void this.offerCommand(e);
        throw vscode.FileSystemError.NoPermissions(e.reason);
      }
      throw e;
    }
  }

  private async offerCommand(e: ServerFileRefusedError): Promise<void> {
    this.ctx.test?.serverFileMessages.push(e.message);
    const copy = 'Copy sudo Command';
    if (e.command && (await vscode.window.showErrorMessage(e.message, copy)) === copy) await vscode.env.clipboard.writeText(e.command);
  }

  /** Says what the save needs, with the Reload button when a reload applies it. */
  private async announce(name: string, cfg: ServerConfig, path: string, backup: string, report: ChangeReport): Promise<void> {
    const base = path.slice(path.lastIndexOf('/') + 1);
    const per = report.changes.map((c) => `${c.name}: ${c.need}`).join('; ');
    const saved = `Saved ${base} (the previous text is in ${backup.slice(backup.lastIndexOf('/') + 1)}).`;
    const type = typeOf(cfg, path);
    if (report.need === 'nothing' || type === 'pgbouncer') {
      const msg = `${saved}${type === 'pgbouncer' && report.need !== 'nothing' ? ' PgBouncer reads it on RELOAD in its admin console.' : ''}`;
      this.ctx.test?.serverFileMessages.push(msg);
      void vscode.window.showInformationMessage(msg);
      return;
    }
    const restart = report.changes.filter((c) => c.need === 'restart').map((c) => c.name);
    const msg = `${saved} ${per}.${restart.length ? ` ${restart.join(', ')} take${restart.length === 1 ? 's' : ''} effect after a restart of the server.` : ''}`;
    // No Reload to offer while a file of the set has a lint error: the reload would refuse it.
    const errors = [
      ...lintServerConfig(
        cfg,
        undefined,
        cfg.targets.filter((t) => t.type !== 'pgbouncer'),
      ).values(),
    ]
      .flat()
      .filter((f) => f.severity === 'error');
    if (errors.length) {
      const first = errors[0]!;
      const text = `${msg} Not reloaded: ${errors.length} lint error${errors.length > 1 ? 's' : ''} (${first.file}:${first.line}: ${first.message}).`;
      this.ctx.test?.serverFileMessages.push(text);
      void vscode.window.showWarningMessage(text);
      return;
    }
    this.ctx.test?.serverFileMessages.push(msg);
    const reload = 'Reload';
    if ((await vscode.window.showInformationMessage(msg, reload)) === reload) await vscode.commands.executeCommand('pgdba.reloadServerConfiguration', name);
  }

  /** pg_reload_conf() after the lint of every file passes; then what the server reports. */
  async reload(profileName: string): Promise<ReloadReport> {
    const cfg = await this.config(profileName, true);
    return this.ctx.connections.use(this.profile(profileName), (pool) => reloadServerConfig(cfg, pool));
  }

  readDirectory(): [string, vscode.FileType][] {
    throw vscode.FileSystemError.NoPermissions('pgdba opens the server configuration files only');
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('pgdba does not create directories on the server');
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('pgdba does not delete the server configuration files');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('pgdba does not rename the server configuration files');
  }

  dispose(): void {
    this.changed.dispose();
    this.reread.dispose();
  }
}

/** A file of the conf tree lints as postgresql.conf; the others by their target. */
function typeOf(cfg: ServerConfig, path: string): ConfFileType {
  return cfg.targets.find((t) => t.path === path)?.type ?? 'conf';
}
