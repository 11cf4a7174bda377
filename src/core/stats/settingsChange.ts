// Editing a setting: the ALTER SYSTEM statements (which take no bind parameters, so every name
// and value is quoted here), and what a change will do given the setting's context.
import { quoteIdent } from '../db/sqlIdent';
import { quoteLiteral, sql, type SqlQuery } from './sql';

// A setting name as the grammar accepts it: identifiers joined by dots (custom settings such as
// pg_stat_statements.max). Anything else is refused rather than quoted into something odd.
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)*$/;

/** "pg_stat_statements"."max": each part quoted, as the grammar's var_name expects. */
export function quoteSettingName(name: string): string {
  if (!NAME_RE.test(name)) throw new Error(`"${name}" is not a valid setting name`);
  return name.split('.').map(quoteIdent).join('.');
}

// Settings whose value is a list of quoted names (GUC_LIST_QUOTE in guc_tables.c): given as one
// string 'a, b', ALTER SYSTEM would store the single element "a, b" and the server would look
// for a library called "a, b". So their items are written as separate literals.
const LIST_QUOTE_SETTINGS = new Set([
  'shared_preload_libraries',
  'session_preload_libraries',
  'local_preload_libraries',
  'search_path',
  'temp_tablespaces',
  'unix_socket_directories',
]);

export function isListSetting(name: string): boolean {
  return LIST_QUOTE_SETTINGS.has(name.toLowerCase());
}

/** Splits "a, b" into its items, for the list settings; the double-quoted items keep commas. */
export function splitListValue(value: string): string[] {
  const items: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] ?? '';
    if (ch === '"') {
      if (quoted && value[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      items.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  items.push(cur.trim());
  return items.filter((s) => s !== '');
}

/**
 * ALTER SYSTEM SET name = 'value' (or = 'a', 'b' for list settings). ALTER SYSTEM takes no
 * parameters, hence the quoting; it cannot run inside a transaction block either, so run it
 * on its own. An empty list sets the setting to '' (e.g. no preloaded library).
 */
export function alterSystemSet(name: string, value: string | readonly string[]): SqlQuery {
  const items = typeof value === 'string' ? (isListSetting(name) ? splitListValue(value) : [value]) : [...value];
  const rhs = items.length === 0 ? "''" : items.map(quoteLiteral).join(', ');
  return sql(`ALTER SYSTEM SET ${quoteSettingName(name)} = ${rhs}`);
}

/** ALTER SYSTEM RESET name: removes the line from postgresql.auto.conf. */
export function alterSystemReset(name: string): SqlQuery {
  return sql(`ALTER SYSTEM RESET ${quoteSettingName(name)}`);
}

/** Re-reads the configuration files; ALTER SYSTEM alone changes only postgresql.auto.conf. */
export const RELOAD_CONF: SqlQuery = sql('SELECT pg_reload_conf() AS "reloaded"');

export type ChangeEffect = 'live' | 'new-sessions' | 'restart' | 'read-only';

export interface ChangeOutcome {
  effect: ChangeEffect;
  /** Whether pg_reload_conf() is needed for the change to apply at all. */
  needsReload: boolean;
  message: string;
}

/** What ALTER SYSTEM + pg_reload_conf() does to a setting of this pg_settings.context. */
export function changeEffect(context: string, name = 'the setting'): ChangeOutcome {
  switch (context) {
    case 'internal':
      return { effect: 'read-only', needsReload: false, message: `${name} is fixed when the server is built or initialised (initdb); it cannot be changed.` };
    case 'postmaster':
      return {
        effect: 'restart',
        needsReload: false,
        message: `${name} is read only when the server starts: the new value is saved in postgresql.auto.conf and applies after a restart (pg_settings.pending_restart shows it waiting).`,
      };
    case 'sighup':
      return { effect: 'live', needsReload: true, message: `${name} applies to the whole server after the reload (pg_reload_conf), without a restart.` };
    case 'backend':
    case 'superuser-backend':
      return {
        effect: 'new-sessions',
        needsReload: true,
        message: `${name} is fixed when a session starts: after the reload, new sessions get the new value; open sessions (and pooled server connections) keep the old one until they reconnect.`,
      };
    case 'superuser':
    case 'user':
      return {
        effect: 'live',
        needsReload: true,
        message: `${name} applies to every session after the reload, except sessions, roles or databases that set their own value (SET, ALTER ROLE/DATABASE … SET).`,
      };
    default:
      return { effect: 'restart', needsReload: true, message: `${name} has an unknown context "${context}": assume a restart is needed.` };
  }
}
