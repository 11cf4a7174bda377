// Per-line rules of postgresql.conf: the errors PostgreSQL itself would raise for a line
// (unknown parameter, a parameter of another major, wrong type, unit, range, enum, a parameter
// that cannot be set), string values the server's check hooks refuse (confHookRules.ts), and
// duplicates, where only the last line counts.
import type { Finding } from './finding';
import type { CheckedSetting, ConfModel } from './confModel';
import { didYouMean, isAlias, versionNote } from '../catalog/catalog';
import { hookVerdict } from './confHookRules';

const HOOK_SEVERITY = { PGC026: 'error', PGC027: 'warning', PGC028: 'info' } as const;

function at(cs: CheckedSetting, which: 'name' | 'value' | 'line'): Pick<Finding, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'> {
  const s = cs.setting;
  const r = which === 'name' ? s.nameRange : which === 'value' ? s.valueRange : { ...s.nameRange, endColumn: s.valueRange.endColumn };
  return { file: cs.file, ...r };
}

function settingFinding(cs: CheckedSetting, major: number): Finding | undefined {
  if (!cs.param) return undefined;
  if (cs.param.context === 'internal') {
    return {
      ...at(cs, 'line'),
      severity: 'error',
      code: 'PGC024',
      message: `${cs.param.name} is fixed when PostgreSQL is built or initdb runs; the server rejects setting it`,
    };
  }
  const c = cs.checked;
  if (c && !c.ok) return { ...at(cs, 'value'), severity: 'error', code: c.code, message: c.message };
  if (c?.type === 'string' && cs.param.type === 'string') {
    const h = hookVerdict(cs.param.name.toLowerCase(), c.value, major);
    if (h) return { ...at(cs, 'value'), severity: HOOK_SEVERITY[h.code], code: h.code, message: h.message };
  }
  return undefined;
}

function unknownFinding(cs: CheckedSetting, major: number): Finding | undefined {
  const s = cs.setting;
  const lower = s.key;
  // A custom option (extension.name) is accepted whatever it is; an alias is an old name kept.
  if (cs.param || lower.includes('.') || isAlias(lower, major)) return undefined;
  const note = versionNote(lower, major);
  if (note) {
    return {
      ...at(cs, 'name'),
      severity: 'error',
      code: 'PGC011',
      message: `${s.name} does not exist in PostgreSQL ${major} (${note}); the server rejects this line`,
    };
  }
  const near = didYouMean(lower, major);
  const hint = near.length ? `; did you mean ${near.join(', ')}?` : '';
  const fix = near[0] ? { title: `Change to ${near[0]}`, range: s.nameRange, newText: near[0] } : undefined;
  return {
    ...at(cs, 'name'),
    severity: 'error',
    code: 'PGC010',
    message: `unknown parameter "${s.name}" for PostgreSQL ${major}${hint}`,
    ...(fix ? { fix } : {}),
  };
}

export function valueFindings(model: ConfModel): Finding[] {
  const out: Finding[] = [];
  for (const cs of model.settings) {
    const f = cs.param ? settingFinding(cs, model.major) : unknownFinding(cs, model.major);
    if (f) out.push(f);
  }
  return out;
}

export function duplicateFindings(model: ConfModel): Finding[] {
  const out: Finding[] = [];
  for (const cs of model.settings) {
    const last = model.last.get(cs.setting.key);
    if (!last || last === cs) continue;
    const where = last.file === cs.file ? `line ${last.setting.line}` : `${last.file}:${last.setting.line}`;
    const nr = cs.setting.nameRange;
    out.push({
      file: cs.file,
      line: nr.line,
      column: nr.column,
      endLine: nr.endLine,
      endColumn: cs.setting.valueRange.endColumn,
      severity: 'warning',
      code: 'PGC030',
      message: `${cs.setting.name} is set again on ${where} (${last.setting.raw}); the last one wins, so this line has no effect`,
    });
  }
  return out;
}
