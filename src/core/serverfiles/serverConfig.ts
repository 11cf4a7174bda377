// The server's own configuration as one set: postgresql.conf with its includes, pg_hba.conf and,
// when the profile has a PgBouncer whose console says where it is, pgbouncer.ini; read from the
// server's machine (HostAccess) and linted together with that server's major and running values
// through the one lint path (lintFileSet). The reload is gated on this lint: a file with an error
// is never reloaded.
import type { HostAccess } from '../host/hostAccess';
import { HostPermissionError } from '../host/hostAccess';
import { MAX_CONF_FILE_BYTES } from '../conf/confIncludes';
import { lintFileSet, type FindingsByFile, type LintTarget } from '../lint/lintFileSet';
import type { LintFiles } from '../lint/lintFiles';
import type { HardwareProfile } from '../lint/hardware';
import type { Queryable } from '../stats/sql';
import { readHostConfTree, type HostConfSnapshot } from './hostConfTree';
import { locateServerFiles, type ServerFilePaths } from './locate';
import { reloadServer, type ReloadReport } from './reload';

export interface ServerConfig {
  host: HostAccess;
  paths: ServerFilePaths;
  /** postgresql.conf, pg_hba.conf, pgbouncer.ini when known: what is opened and linted. */
  targets: LintTarget[];
  /** postgresql.conf and the files it includes, as read. */
  conf: HostConfSnapshot;
  /** Texts of pg_hba.conf and pgbouncer.ini as read (the conf tree's are in `conf`). */
  texts: Map<string, string>;
  /** Files that could not be read, with why (pg_hba.conf of another owner, say). */
  unreadable: { path: string; reason: string }[];
  major: number;
  runningValues?: Readonly<Record<string, string>>;
  hardware?: HardwareProfile;
}

export interface ServerConfigOptions {
  major: number;
  runningValues?: Readonly<Record<string, string>>;
  hardware?: HardwareProfile;
  /** pgbouncer.ini on the same machine, when the profile's PgBouncer console told it. */
  pgbouncerIni?: string;
}

async function readText(host: HostAccess, path: string): Promise<{ text: string } | { reason: string }> {
  try {
    const st = await host.stat(path);
    if (!st) return { reason: 'does not exist' };
    return { text: (await host.readFile(path, { maxBytes: MAX_CONF_FILE_BYTES })).toString('utf8') };
  } catch (e) {
    return { reason: e instanceof HostPermissionError ? `${host.label} may not read it` : (e as Error).message };
  }
}

export async function openServerConfig(host: HostAccess, db: Queryable, opts: ServerConfigOptions): Promise<ServerConfig> {
  const paths = await locateServerFiles(db);
  return readServerConfig(host, paths, opts);
}

/** Reads the files at `paths` again (after a save, before a reload). */
export async function readServerConfig(host: HostAccess, paths: ServerFilePaths, opts: ServerConfigOptions): Promise<ServerConfig> {
  const conf = await readHostConfTree(host, paths.conf);
  const texts = new Map<string, string>();
  const unreadable: ServerConfig['unreadable'] = [];
  const targets: LintTarget[] = [{ path: paths.conf, type: 'conf' }];
  for (const [path, type] of [
    [paths.hba, 'hba'],
    [opts.pgbouncerIni, 'pgbouncer'],
  ] as const) {
    if (path === undefined) continue;
    const r = await readText(host, path);
    if ('text' in r) {
      texts.set(path, r.text);
      targets.push({ path, type });
    } else unreadable.push({ path, reason: r.reason });
  }
  return { host, paths, targets, conf, texts, unreadable, major: opts.major, runningValues: opts.runningValues, hardware: opts.hardware };
}

/** The LintFiles port over what was read; `edited` gives unsaved texts (the editor's buffers) first. */
export function serverLintFiles(cfg: ServerConfig, edited: (path: string) => string | undefined = () => undefined): LintFiles {
  const read = (path: string) => edited(path) ?? cfg.texts.get(path) ?? cfg.conf.fs.readFile(path);
  return {
    read,
    includes: { readFile: read, listDir: (p) => cfg.conf.fs.listDir(p), stat: (p) => cfg.conf.fs.stat(p) },
    neighbour: (_path, type) => cfg.targets.find((t) => t.type === type)?.path,
  };
}

/** Findings of every file of the set (an included file under its own path). */
export function lintServerConfig(
  cfg: ServerConfig,
  edited?: (path: string) => string | undefined,
  targets: readonly LintTarget[] = cfg.targets,
): FindingsByFile {
  return lintFileSet(targets, serverLintFiles(cfg, edited), { major: cfg.major, hardware: cfg.hardware, runningValues: cfg.runningValues });
}

/** Reads the files again, lints them, and reloads only when none has a lint error. */
export async function reloadServerConfig(cfg: ServerConfig, db: Queryable): Promise<ReloadReport> {
  const fresh = await readServerConfig(cfg.host, cfg.paths, {
    major: cfg.major,
    runningValues: cfg.runningValues,
    hardware: cfg.hardware,
    pgbouncerIni: cfg.targets.find((t) => t.type === 'pgbouncer')?.path,
  });
  // pg_reload_conf() reads postgresql.conf and pg_hba.conf: pgbouncer.ini's findings are its console's business.
  const findings = [
    ...lintServerConfig(
      fresh,
      undefined,
      fresh.targets.filter((t) => t.type !== 'pgbouncer'),
    ).values(),
  ].flat();
  return reloadServer(db, findings, cfg.major);
}
