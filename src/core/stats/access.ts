// What the connected role may see. A non-superuser gets most of the tree, but with holes that
// look like bugs unless they are named: other sessions' queries read "<insufficient privilege>",
// file paths are hidden, pg_file_settings is refused. The tree shows these reasons once.
import { readableIdent } from '../db/sqlIdent';
import { defineQuery, runQuery, type VersionArgs } from './query';
import { sql, type Queryable } from './sql';

export interface AccessRow {
  role: string;
  isSuperuser: boolean;
  /** pg_read_all_stats (or pg_monitor): other sessions' queries and statistics. */
  readAllStats: boolean;
  /** pg_read_all_settings (or pg_monitor): file paths, sourcefile:sourceline of settings. */
  readAllSettings: boolean;
  /** Superuser only (or an explicit GRANT): pg_file_settings and pg_hba_file_rules. */
  readFileSettings: boolean;
  /** May run ALTER SYSTEM (superuser, or a GRANT ALTER SYSTEM in 15+). */
  canAlterSystem: boolean;
  /** May cancel other roles' backends (pg_signal_backend). */
  signalBackend: boolean;
}

export const accessQuery = defineQuery<VersionArgs, AccessRow>({
  id: 'access',
  title: 'Role privileges',
  build: ({ versionNum }) =>
    sql(`SELECT current_user::text AS "role",
  r.rolsuper AS "isSuperuser",
  r.rolsuper OR pg_has_role('pg_read_all_stats', 'USAGE') AS "readAllStats",
  r.rolsuper OR pg_has_role('pg_read_all_settings', 'USAGE') AS "readAllSettings",
  r.rolsuper OR has_function_privilege('pg_show_all_file_settings()', 'EXECUTE') AS "readFileSettings",
  r.rolsuper ${versionNum >= 150000 ? "OR EXISTS (SELECT 1 FROM pg_parameter_acl WHERE has_parameter_privilege(parname, 'ALTER SYSTEM'))" : ''} AS "canAlterSystem",
  r.rolsuper OR pg_has_role('pg_signal_backend', 'USAGE') AS "signalBackend"
FROM pg_roles r WHERE r.rolname = current_user`),
  columns: {
    role: 'string',
    isSuperuser: 'boolean',
    readAllStats: 'boolean',
    readAllSettings: 'boolean',
    readFileSettings: 'boolean',
    canAlterSystem: 'boolean',
    signalBackend: 'boolean',
  },
});

export async function readAccess(q: Queryable, args: VersionArgs): Promise<AccessRow | undefined> {
  return (await runQuery(q, accessQuery, args))[0];
}

/** The holes a role will see in the tree, each in words a DBA can act on. */
export function accessLimitations(a: AccessRow): string[] {
  if (a.isSuperuser) return [];
  const grant = (what: string) => `GRANT ${what} TO ${readableIdent(a.role)}`;
  const out: string[] = [];
  if (!a.readAllStats) {
    out.push(
      `Queries, states and wait events of other roles' sessions are hidden, and pg_stat_statements shows only this role's statements: a superuser can run ${grant('pg_read_all_stats')}.`,
    );
  }
  if (!a.readAllSettings) {
    out.push(`Data directory, config_file, hba_file and the file and line of settings are hidden: a superuser can run ${grant('pg_read_all_settings')}.`);
  }
  if (!a.readFileSettings) out.push('Errors in the configuration files (pg_file_settings) are readable by superusers only.');
  if (!a.canAlterSystem) out.push('Editing settings (ALTER SYSTEM) needs a superuser, or on PostgreSQL 15+ GRANT ALTER SYSTEM ON PARAMETER.');
  if (!a.signalBackend) out.push(`Cancelling or terminating other roles' sessions needs ${grant('pg_signal_backend')}.`);
  return out;
}
