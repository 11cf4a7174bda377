// Glue between an open document and the core: the document's kind, the editor's LintFiles port,
// the hardware profile from settings and host facts, and the one core lintFileSet. Loaded lazily on the first
// config document, so activation never pays for the catalogs.
import type * as vscode from 'vscode';
import type { Finding } from '../../core/lint/finding';
import { lintFileSet, neighbourTypes } from '../../core/lint/lintFileSet';
import { typeOfLanguage } from '../../core/lint/lintLanguages';
import { resolveHardware, withHostFacts } from '../../core/lint/hardwareInput';
import type { HostFacts } from '../../core/host/facts';
import type { HardwareProfile } from '../../core/lint/hardware';
import type { PgdbaConfig } from '../config';
import type { LintFiles } from '../../core/lint/lintFiles';
import { editorLintFiles, pathOf } from './editorLintFiles';

/** The profile from pgdba.hardware.*, then the active server's host facts, the rest from this machine when the file is local. */
export function hardwareFor(cfg: PgdbaConfig, local: boolean, host?: HostFacts): HardwareProfile | undefined {
  const h = cfg.hardware;
  return resolveHardware(
    withHostFacts(
      {
        ramBytes: h.ramGB !== undefined ? h.ramGB * 2 ** 30 : undefined,
        cpus: h.cpus,
        storage: h.storage,
        workload: h.workload,
        maxConnections: h.maxConnections,
        pgVersion: cfg.pgVersion,
      },
      host,
    ),
    local,
  );
}

/** The document's own findings, checked with its neighbours. runningValues and host: pg_settings
 *  and the host facts of the connected server, when it runs the major linted for. */
export async function lintDocument(
  doc: vscode.TextDocument,
  cfg: PgdbaConfig,
  runningValues?: Readonly<Record<string, string>>,
  host?: HostFacts,
  /** A file of the server's own: its path there and the port over that server's files. */
  server?: { path: string; files: LintFiles; local: boolean },
): Promise<Finding[]> {
  const type = typeOfLanguage(doc.languageId);
  if (!type) return [];
  const path = server?.path ?? pathOf(doc);
  const files = server?.files ?? (await editorLintFiles(doc, neighbourTypes([type])));
  const max = cfg.hardware.maxConnections;
  const byFile = lintFileSet([{ path, type }], files, {
    major: cfg.pgVersion,
    hardware: type === 'conf' ? hardwareFor(cfg, server?.local ?? doc.uri.scheme === 'file', host) : undefined,
    runningValues,
    connections: max ? { count: max, source: 'the setting pgdba.hardware.maxConnections' } : undefined,
  });
  return byFile.get(path) ?? [];
}
