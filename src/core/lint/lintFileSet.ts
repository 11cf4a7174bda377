// Lints postgresql.conf, pg_hba.conf and pgbouncer.ini together, the way they work together:
// pg_hba.conf lines open to the world feed postgresql.conf's listen_addresses rule, and
// postgresql.conf's ssl, max_connections, superuser_reserved_connections, reserved_connections and
// password_encryption feed pg_hba.conf's hostssl check and pgbouncer.ini's pool arithmetic and
// auth_type check. The one path for the CLI and the editor: they give the files to lint and a
// LintFiles port; a neighbour a rule needs that is not among them is asked of the port. Each file
// is read and parsed once per call (a postgresql.conf's includes resolved once), however many
// rules and facts need it.
import { basename } from 'node:path';
import type { Finding } from './finding';
import { lintHba, hbaOpenToWorld } from './hbaRules';
import { lintPgbouncer, type PgbouncerServerInfo } from './pgbouncerRules';
import { lintPostgresqlConf, type ConfFileSystem, type HardwareProfile } from './postgresqlConf';
import { confFileRefusal, resolveConfTree, type ConfTree } from '../conf/confIncludes';
import { parseHba, type HbaFile } from '../conf/hbaParser';
import { parsePgbouncerIni, type IniFile } from '../conf/pgbouncerParser';
import { ConfModel } from './confModel';
import { clampMajor } from '../catalog/catalog';
import type { LintFiles } from './lintFiles';
import type { ConfFileType } from './lintLanguages';

export interface LintTarget {
  path: string;
  type: ConfFileType;
}

export interface LintSetOptions {
  /** PostgreSQL major 13–18; default 16. */
  major?: number;
  hardware?: HardwareProfile;
  runningValues?: Readonly<Record<string, string>>;
  /** The server's max_connections when no postgresql.conf is in the set, and where it comes from
   *  ("--connections", a setting), for pgbouncer.ini. */
  connections?: { count: number; source: string };
}

/** Findings by the file they are in (an included file has its own entry), targets' order kept. */
export type FindingsByFile = Map<string, Finding[]>;

/** The kinds of file whose facts the rules of `types` need: hba for conf, conf for hba and pgbouncer. */
export function neighbourTypes(types: readonly ConfFileType[]): ConfFileType[] {
  const needed: ConfFileType[] = [];
  if (types.includes('conf') && !types.includes('hba')) needed.push('hba');
  if ((types.includes('hba') || types.includes('pgbouncer')) && !types.includes('conf')) needed.push('conf');
  return needed;
}

/** A target the port cannot read yields no findings: hosts read their targets first and say why. */
export function lintFileSet(targets: readonly LintTarget[], files: LintFiles, opts: LintSetOptions = {}): FindingsByFile {
  const major = clampMajor(opts.major);
  const parsed = new ParsedFiles(files, major);
  const exists = files.includes ? fileExistsVia(files.includes) : undefined;
  const of = (type: ConfFileType) => targets.filter((t) => t.type === type).map((t) => t.path);
  const needed = neighbourTypes(targets.map((t) => t.type));
  const neighbour = (type: ConfFileType): string[] => {
    const from = targets[0]?.path;
    const found = needed.includes(type) && from !== undefined ? files.neighbour?.(from, type) : undefined;
    return found === undefined ? [] : [found];
  };
  const hbaSources = needed.includes('hba') ? neighbour('hba') : of('hba');
  const confSource = (needed.includes('conf') ? neighbour('conf') : of('conf'))[0];
  const confFacts = confSource === undefined ? undefined : parsed.model(confSource);

  const findings: FindingsByFile = new Map();
  const add = (list: readonly Finding[]) => {
    for (const f of list) {
      const inFile = findings.get(f.file);
      if (inFile) inFile.push(f);
      else findings.set(f.file, [f]);
    }
  };
  const ssl = confFacts?.bool('ssl');
  for (const path of of('hba')) {
    const text = parsed.text(path);
    if (text !== undefined) add(lintHba(text, { file: path, major, fileExists: exists, ssl, parsed: parsed.hba(path) }));
  }
  const open = hbaSources.flatMap((path) => {
    const hba = parsed.hba(path);
    return hba ? hbaOpenToWorld(hba, path) : [];
  });
  for (const path of of('conf')) {
    const text = parsed.text(path);
    if (text !== undefined)
      add(
        lintPostgresqlConf(text, {
          file: path,
          major,
          hardware: opts.hardware,
          runningValues: opts.runningValues,
          hbaOpenToWorld: open.length > 0 ? open : undefined,
          tree: parsed.conf(path),
        }),
      );
  }
  const server: PgbouncerServerInfo =
    confSource !== undefined && confFacts
      ? serverInfoFromConf(confFacts, confSource)
      : { major, ...(opts.connections ? { maxConnections: opts.connections.count, source: opts.connections.source } : {}) };
  for (const path of of('pgbouncer')) {
    const text = parsed.text(path);
    if (text !== undefined) add(lintPgbouncer(text, { file: path, server, fileExists: exists, parsed: parsed.ini(path) }));
  }
  return findings;
}

/** What pgbouncer.ini needs to know about the server, read from a postgresql.conf's settings. */
export function serverInfoFromConf(model: ConfModel, path: string): PgbouncerServerInfo {
  let pe = model.str('password_encryption');
  // PostgreSQL 13 still took on/true/yes/1 as md5.
  if (pe !== undefined && /^(on|true|yes|1)$/i.test(pe)) pe = 'md5';
  return {
    major: model.major,
    maxConnections: model.num('max_connections'),
    superuserReservedConnections: model.num('superuser_reserved_connections'),
    reservedConnections: model.num('reserved_connections'),
    passwordEncryption: model.isSet('password_encryption') ? pe : undefined,
    source: basename(path),
  };
}

/** Each file read and parsed once per lint, by path, for every rule and fact that needs it. */
class ParsedFiles {
  private readonly texts = new Map<string, string | undefined>();
  private readonly hbas = new Map<string, HbaFile | undefined>();
  private readonly trees = new Map<string, ConfTree | undefined>();
  private readonly models = new Map<string, ConfModel | undefined>();
  private readonly inis = new Map<string, IniFile | undefined>();

  constructor(
    private readonly files: LintFiles,
    private readonly major: number,
  ) {}

  text(path: string): string | undefined {
    return once(this.texts, path, () => this.files.read(path));
  }

  hba(path: string): HbaFile | undefined {
    return once(this.hbas, path, () => ifRead(this.text(path), (t) => parseHba(t, { major: this.major })));
  }

  /** The file with its includes resolved (followed only when the port has a file system). */
  conf(path: string): ConfTree | undefined {
    return once(this.trees, path, () => ifRead(this.text(path), (t) => resolveConfTree(path, t, this.files.includes)));
  }

  /** The settings as the server would end up with them, without running values: the facts
   *  (ssl, connection limits) neighbours are checked against. */
  model(path: string): ConfModel | undefined {
    return once(this.models, path, () => ifRead(this.conf(path), (tree) => new ConfModel(tree, this.major)));
  }

  ini(path: string): IniFile | undefined {
    return once(this.inis, path, () => ifRead(this.text(path), parsePgbouncerIni));
  }
}

function once<T>(cache: Map<string, T>, key: string, make: () => T): T {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as T;
}

function ifRead<T, R>(value: T | undefined, make: (v: T) => R): R | undefined {
  return value === undefined ? undefined : make(value);
}

/** From stat alone, never a read: a directory exists (include_dir), a regular file under the cap
 *  exists, anything else is refused with its reason. */
function fileExistsVia(fs: ConfFileSystem): (p: string) => boolean | string {
  return (p) => {
    const st = fs.stat(p);
    if (st === undefined) return false;
    return st.kind === 'directory' || (confFileRefusal(st) ?? true);
  };
}
