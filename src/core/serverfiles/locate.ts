// Where the server keeps its own files, as it says itself: config_file, hba_file and ident_file
// (readable by superusers and pg_read_all_settings), and PgBouncer's ini from its console's SHOW
// CONFIG (conffile). Paths on the server's machine, read through HostAccess, never this disk.
import type { Queryable } from '../stats/sql';

export interface ServerFilePaths {
  conf: string;
  hba: string;
  ident: string;
  dataDirectory: string;
}

export async function locateServerFiles(db: Queryable): Promise<ServerFilePaths> {
  try {
    const r = await db.query<{ conf: string; hba: string; ident: string; data: string }>(
      `SELECT current_setting('config_file') AS conf, current_setting('hba_file') AS hba, current_setting('ident_file') AS ident, current_setting('data_directory') AS data`,
    );
    const row = r.rows[0];
    if (!row) throw new Error('the server returned no row');
    return { conf: row.conf, hba: row.hba, ident: row.ident, dataDirectory: row.data };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/must be superuser|pg_read_all_settings|permission denied/i.test(msg))
      throw new Error(
        `the server does not tell this role where its configuration files are (${msg}): connect as a superuser, or GRANT pg_read_all_settings TO the profile's user`,
      );
    throw e;
  }
}

/** PgBouncer's ini file, from its admin console (`pgbouncer` database); undefined when it does not say. */
export async function pgbouncerConfFile(console: Queryable): Promise<string | undefined> {
  const r = await console.query<{ key: string; value: string }>('SHOW CONFIG');
  const v = r.rows.find((row) => row.key === 'conffile')?.value;
  return v ? v : undefined;
}
