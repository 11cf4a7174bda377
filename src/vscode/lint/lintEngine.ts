// Glue between an open document and the core linters: which kind of file it is, its neighbours
// (the pg_hba.conf and postgresql.conf beside it, open or on disk, else found in the workspace),
// the hardware profile from settings, and core findings turned into Diagnostics. Loaded lazily on
// the first config document, so activation never pays for the catalogs.
import { DEFAULT_PG_MAJOR } from '../../core/pgMajor';
import * as vscode from 'vscode';
import { dirname, join } from 'node:path';
import type { Finding, Severity } from '../../core/lint/finding';
import { lintFileSet, serverInfoFromConf, sslOf, type ConfFileType, type LintInput } from '../../core/lint/lintFileSet';
import { hbaOpenToWorld, type HbaOpenLine } from '../../core/lint/hbaRules';
import { nodeConfFileSystem as nodeFileSystem } from '../../core/conf/nodeConfFileSystem';
import { resolveHardware } from '../../core/lint/hardwareInput';
import type { HardwareProfile } from '../../core/lint/hardware';
import type { PgbouncerServerInfo } from '../../core/lint/pgbouncerRules';
import type { PgdbaConfig } from '../config';
import { toRange } from './lintRange';

export const LANGUAGE_TYPES: Record<string, ConfFileType> = { 'postgresql-conf': 'conf', 'pg-hba-conf': 'hba', 'pgbouncer-ini': 'pgbouncer' };

export function typeOfDocument(doc: vscode.TextDocument): ConfFileType | undefined {
  return LANGUAGE_TYPES[doc.languageId];
}

/** The profile from pgdba.hardware.*, the rest from this machine when the file is local. */
export function hardwareFor(cfg: PgdbaConfig, local: boolean): HardwareProfile | undefined {
  const h = cfg.hardware;
  return resolveHardware(
    { ramBytes: h.ramGB !== undefined ? h.ramGB * 2 ** 30 : undefined, cpus: h.cpus, storage: h.storage, workload: h.workload, maxConnections: h.maxConnections, pgVersion: cfg.pgVersion },
    local,
  );
}

/** runningValues: pg_settings of the connected server, when it runs the major linted for. */
export async function lintDocument(doc: vscode.TextDocument, cfg: PgdbaConfig, runningValues?: Readonly<Record<string, string>>): Promise<Finding[]> {
  const type = typeOfDocument(doc);
  if (!type) return [];
  const local = doc.uri.scheme === 'file';
  const path = local ? doc.uri.fsPath : doc.uri.toString();
  const major = cfg.pgVersion;
  const input: LintInput = { path, text: doc.getText(), type };
  let hbaOpen: readonly HbaOpenLine[] | undefined;
  let server: PgbouncerServerInfo | undefined;
  let ssl: boolean | undefined;
  if (type === 'hba') {
    const conf = await neighbour(doc, 'postgresql.conf', '**/postgresql.conf');
    if (conf) ssl = sslOf(conf.text, conf.path, major ?? DEFAULT_PG_MAJOR, local ? nodeFileSystem : undefined);
  } else if (type === 'conf') {
    const hba = await neighbour(doc, 'pg_hba.conf', '**/pg_hba.conf');
    if (hba) hbaOpen = hbaOpenToWorld(hba.text, hba.path, major);
  } else if (type === 'pgbouncer') {
    const conf = await neighbour(doc, 'postgresql.conf', '**/postgresql.conf');
    server = conf
      ? serverInfoFromConf(conf.text, conf.path, major ?? DEFAULT_PG_MAJOR, local ? nodeFileSystem : undefined)
      : { major, ...(cfg.hardware.maxConnections ? { maxConnections: cfg.hardware.maxConnections, source: 'the setting pgdba.hardware.maxConnections' } : {}) };
  }
  const findings = lintFileSet([input], {
    major,
    hardware: type === 'conf' ? hardwareFor(cfg, local) : undefined,
    runningValues,
    fs: local ? nodeFileSystem : undefined,
    hbaOpenToWorld: hbaOpen,
    pgbouncerServer: server,
    ssl,
  });
  return findings.filter((f) => f.file === path);
}

/** A neighbouring config file: open in the editor, beside this one on disk, or in the workspace. */
async function neighbour(doc: vscode.TextDocument, name: string, glob: string): Promise<{ path: string; text: string } | undefined> {
  const beside = doc.uri.scheme === 'file' ? join(dirname(doc.uri.fsPath), name) : undefined;
  const open = vscode.workspace.textDocuments.find((d) => d !== doc && d.uri.scheme === 'file' && (d.uri.fsPath === beside || d.uri.fsPath.endsWith(`/${name}`)));
  if (open) return { path: open.uri.fsPath, text: open.getText() };
  if (beside) {
    const text = nodeFileSystem.readFile(beside);
    if (text !== undefined) return { path: beside, text };
  }
  const found = await vscode.workspace.findFiles(glob, '**/node_modules/**', 1);
  const uri = found[0];
  if (!uri) return undefined;
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return { path: uri.scheme === 'file' ? uri.fsPath : uri.toString(), text: new TextDecoder().decode(bytes) };
  } catch {
    return undefined; // unreadable neighbour: lint without it
  }
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(f: Finding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f), f.message, SEVERITY[f.severity]);
  d.source = 'pgdba';
  d.code = f.code;
  return d;
}
