// Lints postgresql.conf, pg_hba.conf and pgbouncer.ini together, the way they work together:
// pg_hba.conf lines open to the world feed postgresql.conf's listen_addresses rule, and
// postgresql.conf's max_connections, superuser_reserved_connections, reserved_connections and
// password_encryption feed pgbouncer.ini's pool arithmetic and auth_type check. The CLI and the
// VS Code adapter both call this; neither holds any of the logic.
import { basename } from 'node:path';
import type { Finding } from './finding';
import { lintHba, hbaOpenToWorld, type HbaOpenLine } from './hbaRules';
import { lintPgbouncer, type PgbouncerServerInfo } from './pgbouncerRules';
import { lintPostgresqlConf, type ConfFileSystem, type HardwareProfile } from './postgresqlConf';
import { resolveConfTree } from '../conf/confIncludes';
import { ConfModel } from './confModel';
import { clampMajor } from '../catalog/catalog';

export type ConfFileType = 'conf' | 'hba' | 'pgbouncer';
export const CONF_FILE_TYPES: readonly ConfFileType[] = ['conf', 'hba', 'pgbouncer'];

/** postgresql*.conf, pg_hba*.conf, pgbouncer*.ini, by the file's base name. */
export function fileTypeOf(path: string): ConfFileType | undefined {
  const name = basename(path).toLowerCase();
  if (/^pg_hba.*\.conf$/.test(name)) return 'hba';
  if (/^postgresql.*\.conf$/.test(name)) return 'conf';
  if (/^pgbouncer.*\.ini$/.test(name)) return 'pgbouncer';
  return undefined;
}

export interface LintInput {
  path: string;
  text: string;
  type: ConfFileType;
}

export interface LintSetOptions {
  /** PostgreSQL major 13–18; default 16. */
  major?: number;
  hardware?: HardwareProfile;
  runningValues?: Readonly<Record<string, string>>;
  /** File-system port: includes, include_dir, @file and %include are followed/checked when given. */
  fs?: ConfFileSystem;
  /** The server's max_connections when no postgresql.conf is linted alongside (CLI --connections). */
  maxConnections?: number;
  /** Extra cross-file context when linting one file in an editor. */
  hbaOpenToWorld?: readonly HbaOpenLine[];
  pgbouncerServer?: PgbouncerServerInfo;
  /** ssl of the server, when no postgresql.conf is linted alongside but it is known. */
  ssl?: boolean;
}

export function lintFileSet(inputs: readonly LintInput[], opts: LintSetOptions = {}): Finding[] {
  const major = clampMajor(opts.major);
  const exists = opts.fs ? fileExistsVia(opts.fs) : undefined;
  const findings: Finding[] = [];
  const open: HbaOpenLine[] = [...(opts.hbaOpenToWorld ?? [])];
  const conf = inputs.find((i) => i.type === 'conf');
  const ssl = opts.ssl ?? (conf ? sslOf(conf.text, conf.path, major, opts.fs) : undefined);
  for (const h of inputs.filter((i) => i.type === 'hba')) {
    findings.push(...lintHba(h.text, { file: h.path, major, fileExists: exists, ssl }));
    open.push(...hbaOpenToWorld(h.text, h.path, major));
  }
  let server: PgbouncerServerInfo | undefined = opts.pgbouncerServer;
  for (const c of inputs.filter((i) => i.type === 'conf')) {
    findings.push(...lintPostgresqlConf(c.text, { file: c.path, major, hardware: opts.hardware, runningValues: opts.runningValues, fs: opts.fs, hbaOpenToWorld: open.length > 0 ? open : undefined }));
    server ??= serverInfoFromConf(c.text, c.path, major, opts.fs);
  }
  server ??= { major, ...(opts.maxConnections !== undefined ? { maxConnections: opts.maxConnections, source: '--connections' } : {}) };
  for (const p of inputs.filter((i) => i.type === 'pgbouncer')) findings.push(...lintPgbouncer(p.text, { file: p.path, server, fileExists: exists }));
  return findings;
}

/** What pgbouncer.ini needs to know about the server, read from a postgresql.conf. */
export function serverInfoFromConf(text: string, path: string, major: number, fs?: ConfFileSystem): PgbouncerServerInfo {
  const model = new ConfModel(resolveConfTree(path, text, fs), clampMajor(major));
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

/** The ssl setting a postgresql.conf leaves the server with (off by default). */
export function sslOf(text: string, path: string, major: number, fs?: ConfFileSystem): boolean | undefined {
  return new ConfModel(resolveConfTree(path, text, fs), clampMajor(major)).bool('ssl');
}

function fileExistsVia(fs: ConfFileSystem): (p: string) => boolean {
  return (p) => fs.readFile(p) !== undefined || fs.listDir(p) !== undefined;
}
