// The lazily loaded half of hover and completion: asks the core with the document's kind, the
// configured PostgreSQL major and the hardware profile (with the active server's host facts).
import type * as vscode from 'vscode';
import { completions, confParamInfo, pgbouncerParamInfo, type Completion, type ParamInfo } from '../../core/lint/paramInfo';
import { clampMajor } from '../../core/catalog/catalog';
import { typeOfLanguage } from '../../core/lint/lintLanguages';
import { hardwareFor } from './lintEngine';
import type { PgdbaConfig } from '../config';
import type { HostFacts } from '../../core/host/facts';

export function infoFor(doc: vscode.TextDocument, word: string, cfg: PgdbaConfig, section: string | undefined, host?: HostFacts): ParamInfo | undefined {
  const type = typeOfLanguage(doc.languageId);
  const major = clampMajor(cfg.pgVersion);
  if (type === 'conf') return confParamInfo(word, major, hardwareFor(cfg, doc.uri.scheme === 'file', host), cfg.hardware.maxConnections);
  if (type === 'pgbouncer') return pgbouncerParamInfo(word, section);
  return undefined;
}

export function completionsFor(doc: vscode.TextDocument, before: string, cfg: PgdbaConfig, section: string | undefined): Completion[] {
  const type = typeOfLanguage(doc.languageId);
  return type ? completions(type, before, clampMajor(cfg.pgVersion), section) : [];
}
