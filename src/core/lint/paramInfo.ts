// What the editor shows about a name in a config file (hover) and what it offers to type there
// (completion), as plain data: the VS Code adapter only turns it into Markdown and items.
import { lookup, parameters, versionNote, type CatalogParam } from '../catalog/catalog';
import { formatValue } from './confModel';
import { describeProfile, recommend, type HardwareProfile } from './hardware';
import { PGBOUNCER_SETTINGS, DATABASE_PARAMS, USER_PARAMS, type PgbValueType } from './pgbouncerSettings';
import { HBA_METHODS } from '../conf/hbaMethods';
import { HBA_CONN_TYPES } from '../conf/hbaParser';
import type { ConfFileType } from './lintLanguages';

export interface ParamInfo {
  name: string;
  description: string;
  facts: { label: string; value: string }[];
  recommendation?: string;
}

const CONTEXT_COST: Record<string, string> = {
  postmaster: 'needs a server restart',
  sighup: 'needs a reload (pg_ctl reload or SELECT pg_reload_conf())',
  'superuser-backend': 'a reload applies it to new sessions',
  backend: 'a reload applies it to new sessions',
  superuser: 'a reload applies it; superusers can also SET it per session',
  user: 'a reload applies it; any session can also SET it',
  internal: 'cannot be changed (set when PostgreSQL was built or initialised)',
};

function show(p: CatalogParam, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (p.type !== 'integer' && p.type !== 'real') return p.type === 'string' ? `'${raw}'` : raw;
  const n = Number(raw);
  return Number.isFinite(n) && p.unit ? formatValue(p, n) : raw;
}

/** postgresql.conf parameter for a hover; undefined when no major 13–18 knows the name. */
export function confParamInfo(name: string, major: number, profile?: HardwareProfile, connections?: number): ParamInfo | undefined {
  const p = lookup(name, major);
  if (!p) {
    const note = versionNote(name, major);
    return note ? { name, description: `Not a parameter of PostgreSQL ${major} (${note}).`, facts: [] } : undefined;
  }
  const facts: { label: string; value: string }[] = [{ label: 'Type', value: p.type + (p.unit ? `, unit ${p.unit}` : '') }];
  if (p.enum) facts.push({ label: 'Values', value: p.enum.join(', ') });
  const min = show(p, p.min);
  const max = show(p, p.max);
  if (min !== undefined && max !== undefined) facts.push({ label: 'Range', value: `${min} … ${max}` });
  const def = show(p, p.boot);
  if (def !== undefined) facts.push({ label: 'Default', value: def === '' || def === "''" ? "'' (empty)" : def });
  facts.push({ label: 'Context', value: `${p.context}: changing it ${CONTEXT_COST[p.context] ?? 'see the documentation'}` });
  facts.push({ label: 'Category', value: p.category });
  let recommendation: string | undefined;
  if (profile) {
    const r = recommend(profile, connections ?? profile.maxConnections ?? 100).find((x) => x.name === p.name);
    if (r) recommendation = `${r.text} for ${describeProfile(profile)}: ${r.reason}`;
  }
  return { name: p.name, description: p.desc, facts, recommendation };
}

function typeText(t: PgbValueType): string {
  if (t.kind === 'enum') return t.values.join(' | ');
  if (t.kind === 'time') return 'seconds';
  if (t.kind === 'int') return t.min === 0 && t.max === 1 ? '0 or 1' : 'integer';
  return 'text';
}

/** pgbouncer.ini key for a hover. */
export function pgbouncerParamInfo(key: string, section: string | undefined): ParamInfo | undefined {
  if (section === 'databases' || section === 'users') {
    const t = (section === 'databases' ? DATABASE_PARAMS : USER_PARAMS)[key];
    return t ? { name: key, description: `Parameter of a [${section}] entry.`, facts: [{ label: 'Type', value: typeText(t) }] } : undefined;
  }
  const s = PGBOUNCER_SETTINGS[key];
  if (!s) return undefined;
  const facts = [{ label: 'Type', value: typeText(s.type) }];
  if (s.default !== undefined) facts.push({ label: 'Default', value: s.default === '' ? '(empty)' : s.default });
  return { name: key, description: s.doc, facts };
}

export interface Completion {
  label: string;
  kind: 'name' | 'value' | 'keyword';
  detail?: string;
  documentation?: string;
}

/**
 * What may be typed at the cursor: `before` is the line's text up to the cursor, `section` the
 * pgbouncer.ini section the line is in.
 */
export function completions(type: ConfFileType, before: string, major: number, section?: string): Completion[] {
  if (type === 'conf') {
    if (/^\s*[A-Za-z_][\w.]*$|^\s*$/.test(before))
      return parameters(major).map((p) => ({ label: p.name, kind: 'name', detail: p.type + (p.unit ? ` (${p.unit})` : ''), documentation: p.desc }));
    const m = /^\s*([A-Za-z_][\w.]*)\s*=?\s*'?([\w-]*)$/.exec(before);
    const p = m?.[1] ? lookup(m[1], major) : undefined;
    if (p?.type === 'enum') return (p.enum ?? []).map((v) => ({ label: v, kind: 'value' }));
    if (p?.type === 'bool') return ['on', 'off'].map((v) => ({ label: v, kind: 'value' }));
    return [];
  }
  if (type === 'pgbouncer') {
    if (section === 'pgbouncer') {
      if (/^\s*[\w.]*$/.test(before))
        return Object.entries(PGBOUNCER_SETTINGS).map(([k, s]) => ({ label: k, kind: 'name', detail: typeText(s.type), documentation: s.doc }));
      const m = /^\s*([\w.]+)\s*=\s*[\w-]*$/.exec(before);
      const t = m?.[1] ? PGBOUNCER_SETTINGS[m[1]]?.type : undefined;
      return t?.kind === 'enum' ? t.values.map((v) => ({ label: v, kind: 'value' })) : [];
    }
    if (section === 'databases' && /=.*(^|\s)[\w]*$/.test(before)) return Object.keys(DATABASE_PARAMS).map((k) => ({ label: `${k}=`, kind: 'name' }));
    if (section === 'users' && /=.*(^|\s)[\w]*$/.test(before)) return Object.keys(USER_PARAMS).map((k) => ({ label: `${k}=`, kind: 'name' }));
    if (/^\s*\[?\w*$/.test(before) && before.includes('[')) return ['pgbouncer', 'databases', 'users', 'peers'].map((k) => ({ label: k, kind: 'keyword' }));
    return [];
  }
  // pg_hba.conf: the connection type first, then the method after the address.
  const fields = before.trimStart().split(/\s+/);
  if (fields.length <= 1) return [...HBA_CONN_TYPES, 'include', 'include_if_exists', 'include_dir'].map((k) => ({ label: k, kind: 'keyword' }));
  const methodAt = fields[0] === 'local' ? 4 : 5;
  if (fields.length === methodAt || (fields.length === methodAt + 1 && fields[0] !== 'local' && !(fields[3] ?? '').includes('/'))) {
    return HBA_METHODS.filter((m) => m !== 'oauth' || major >= 18).map((k) => ({ label: k, kind: 'keyword' }));
  }
  if (fields.length === 2 || fields.length === 3)
    return ['all', 'sameuser', 'samerole', 'replication'].slice(0, fields.length === 2 ? 4 : 1).map((k) => ({ label: k, kind: 'keyword' }));
  return [];
}
