// The Configuration node: pg_settings by category, the values that differ from the defaults
// (with the file and line that set them), settings waiting for a restart, and the errors the
// server found in its configuration files.
import { defineQuery, runQuery, type VersionArgs } from './query';
import { sql, type Queryable } from './sql';

export interface SettingCategoryRow {
  category: string;
  settings: number;
  /** Settings whose value comes from somewhere other than the built-in default. */
  nonDefault: number;
  pendingRestart: number;
}

// 'override' is a value the server computes or initdb forces (e.g. wal_buffers -1 → 4MB): not
// the person's choice, so not shown as "changed".
const NON_DEFAULT = `source NOT IN ('default', 'override')`;

export const settingCategoriesQuery = defineQuery<VersionArgs, SettingCategoryRow>({
  id: 'settings.categories',
  title: 'Setting categories',
  build: () =>
    sql(`SELECT category AS "category", count(*)::int AS "settings",
  count(*) FILTER (WHERE ${NON_DEFAULT})::int AS "nonDefault",
  count(*) FILTER (WHERE pending_restart)::int AS "pendingRestart"
FROM pg_settings GROUP BY category ORDER BY category`),
  columns: { category: 'string', settings: 'number', nonDefault: 'number', pendingRestart: 'number' },
});

export const settingCategories = (q: Queryable, args: VersionArgs) => runQuery(q, settingCategoriesQuery, args);

export interface SettingRow {
  name: string;
  setting: string | null;
  unit: string | null;
  category: string;
  description: string;
  /** internal | postmaster | sighup | superuser-backend | backend | superuser | user */
  context: string;
  vartype: string;
  source: string;
  bootVal: string | null;
  resetVal: string | null;
  minVal: string | null;
  maxVal: string | null;
  enumVals: string[] | null;
  /** NULL unless superuser or pg_read_all_settings. */
  sourcefile: string | null;
  sourceline: number | null;
  pendingRestart: boolean;
  isDefault: boolean;
}

export interface SettingsArgs extends VersionArgs {
  /** Only this category (one tree node); all settings when omitted. */
  category?: string;
  /** Only values that differ from the default. */
  nonDefaultOnly?: boolean;
  /** Only settings changed in a file but waiting for a restart. */
  pendingRestartOnly?: boolean;
  /** One setting by name (after an edit, to show its new state). */
  name?: string;
}

export const settingsQuery = defineQuery<SettingsArgs, SettingRow>({
  id: 'settings.list',
  title: 'Settings',
  build: (a) => {
    const where: string[] = [];
    const values: string[] = [];
    if (a.category !== undefined) {
      values.push(a.category);
      where.push(`category = $${values.length}`);
    }
    if (a.name !== undefined) {
      values.push(a.name);
      where.push(`lower(name) = lower($${values.length})`); // DateStyle, TimeZone … are mixed-case
    }
    if (a.nonDefaultOnly) where.push(NON_DEFAULT);
    if (a.pendingRestartOnly) where.push('pending_restart');
    return sql(
      `SELECT name AS "name", setting AS "setting", unit AS "unit", category AS "category",
  short_desc AS "description", context AS "context", vartype AS "vartype", source AS "source",
  boot_val AS "bootVal", reset_val AS "resetVal", min_val AS "minVal", max_val AS "maxVal",
  enumvals AS "enumVals", sourcefile AS "sourcefile", sourceline AS "sourceline",
  pending_restart AS "pendingRestart", NOT (${NON_DEFAULT}) AS "isDefault"
FROM pg_settings${where.length ? `\nWHERE ${where.join(' AND ')}` : ''}
ORDER BY category, name`,
      values,
    );
  },
  columns: {
    name: 'string',
    setting: 'string?',
    unit: 'string?',
    category: 'string',
    description: 'string',
    context: 'string',
    vartype: 'string',
    source: 'string',
    bootVal: 'string?',
    resetVal: 'string?',
    minVal: 'string?',
    maxVal: 'string?',
    enumVals: 'string[]?',
    sourcefile: 'string?',
    sourceline: 'number?',
    pendingRestart: 'boolean',
    isDefault: 'boolean',
  },
});

export const listSettings = (q: Queryable, args: SettingsArgs) => runQuery(q, settingsQuery, args);

/** Settings grouped by category, in pg_settings' order: for a client that read them all at once. */
export function groupByCategory<R extends { category: string }>(rows: readonly R[]): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of rows) {
    const list = out.get(r.category);
    if (list) list.push(r);
    else out.set(r.category, [r]);
  }
  return out;
}

/** "file:line" where a value was set, or the source's name (e.g. "environment variable"). */
export function settingOrigin(r: Pick<SettingRow, 'source' | 'sourcefile' | 'sourceline'>): string {
  if (r.sourcefile) return r.sourceline !== null ? `${r.sourcefile}:${r.sourceline}` : r.sourcefile;
  return r.source;
}

export interface FileSettingRow {
  sourcefile: string | null;
  sourceline: number | null;
  seqno: number;
  name: string | null;
  setting: string | null;
  applied: boolean;
  error: string | null;
}

export interface FileSettingsArgs extends VersionArgs {
  /** Only lines with an error, or that could not be applied (the default: what needs a look). */
  problemsOnly?: boolean;
}

export const fileSettingsQuery = defineQuery<FileSettingsArgs, FileSettingRow>({
  id: 'settings.fileSettings',
  title: 'Configuration file errors (pg_file_settings)',
  build: ({ problemsOnly = true }) =>
    sql(`SELECT sourcefile AS "sourcefile", sourceline AS "sourceline", seqno AS "seqno", name AS "name",
  setting AS "setting", applied AS "applied", error AS "error"
FROM pg_file_settings${problemsOnly ? '\nWHERE error IS NOT NULL' : ''}
ORDER BY seqno`),
  columns: {
    sourcefile: 'string?',
    sourceline: 'number?',
    seqno: 'number',
    name: 'string?',
    setting: 'string?',
    applied: 'boolean',
    error: 'string?',
  },
});

/** Superuser only by default: a role without it gets a StatsError of kind 'permission'. */
export const fileSettings = (q: Queryable, args: FileSettingsArgs) => runQuery(q, fileSettingsQuery, args);
