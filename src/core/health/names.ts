// Names and figures as the report writes them: identifiers always quoted, queries shortened.
import { quoteIdent } from '../db/sqlIdent';
import type { SettingRow } from '../stats/settings';

/** "schema"."table", quoted for a statement a person will paste. */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** A query on one line, cut for a subject or a table cell. */
export function shortQuery(q: string | null, max = 80): string {
  const one = (q ?? '?').replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** A memory setting in MB (pg_settings gives a number and a unit such as 8kB or MB). */
export function settingMb(row: Pick<SettingRow, 'setting' | 'unit'> | undefined): number | undefined {
  if (!row?.setting) return undefined;
  const n = Number(row.setting);
  if (!Number.isFinite(n)) return undefined;
  const unit = row.unit ?? '';
  const m = /^(\d*)(kB|MB|GB|B)$/.exec(unit);
  if (!m) return undefined;
  const mult = Number(m[1] || 1);
  const perUnitMb = { B: 1 / 1024 / 1024, kB: 1 / 1024, MB: 1, GB: 1024 }[m[2] as 'B' | 'kB' | 'MB' | 'GB'];
  return n * mult * perUnitMb;
}

/** 1536 → "1536MB", 2048 → "2GB": a value for postgresql.conf. */
export function confSize(mb: number): string {
  const r = Math.max(1, Math.round(mb));
  return r % 1024 === 0 ? `${r / 1024}GB` : `${r}MB`;
}
