// pg_reload_conf() only for files without a lint error (a reload of a broken file leaves the
// server on its old values for the broken lines, silently but for its log), then what the server
// made of the files: pg_file_settings' errors (not applied, with file and line) and
// pg_hba_file_rules' (PostgreSQL 16 and later give them a file name too). Reading either view
// needs a superuser (or, from 16, pg_read_all_settings for pg_file_settings): said as such.
import type { Queryable } from '../stats/sql';
import type { Finding } from '../lint/finding';

export interface ReloadProblem {
  file: string;
  line: number;
  /** The setting, for pg_file_settings' rows. */
  name?: string;
  error: string;
}

export interface ReloadReport {
  /** pg_reload_conf() was sent (the postmaster re-reads the files shortly after). */
  reloaded: boolean;
  problems: ReloadProblem[];
  /** Views that could not be read, with why. */
  unread: string[];
}

/** Lint errors of the files about to be reloaded: the reload is refused while there is one. */
export class ReloadRefusedError extends Error {
  constructor(readonly errors: readonly Finding[]) {
    const first = errors[0];
    super(
      `not reloaded: ${errors.length} lint error${errors.length > 1 ? 's' : ''} in the configuration${first ? ` (${first.file}:${first.line}: ${first.message})` : ''}; fix ${errors.length > 1 ? 'them' : 'it'} and save first`,
    );
    this.name = 'ReloadRefusedError';
  }
}

const errorsOf = (findings: readonly Finding[]) => findings.filter((f) => f.severity === 'error');

export async function reloadServer(db: Queryable, findings: readonly Finding[], major: number): Promise<ReloadReport> {
  const errors = errorsOf(findings);
  if (errors.length > 0) throw new ReloadRefusedError(errors);
  await db.query('SELECT pg_reload_conf()');
  return { reloaded: true, ...(await reloadProblems(db, major)) };
}

/** What the server reports now about its files; pg_file_settings is read from disk at each query. */
export async function reloadProblems(db: Queryable, major: number): Promise<Omit<ReloadReport, 'reloaded'>> {
  const problems: ReloadProblem[] = [];
  const unread: string[] = [];
  try {
    const r = await db.query<{ sourcefile: string | null; sourceline: number | null; name: string | null; error: string }>(
      'SELECT sourcefile, sourceline, name, error FROM pg_file_settings WHERE error IS NOT NULL ORDER BY seqno',
    );
    for (const row of r.rows)
      problems.push({ file: row.sourcefile ?? '?', line: row.sourceline ?? 0, ...(row.name ? { name: row.name } : {}), error: row.error });
  } catch (e) {
    unread.push(`pg_file_settings: ${(e as Error).message}`);
  }
  try {
    const file = major >= 16 ? 'file_name' : 'NULL::text';
    const r = await db.query<{ file: string | null; line_number: number | null; error: string }>(
      `SELECT ${file} AS file, line_number, error FROM pg_hba_file_rules WHERE error IS NOT NULL ORDER BY line_number`,
    );
    for (const row of r.rows) problems.push({ file: row.file ?? 'pg_hba.conf', line: row.line_number ?? 0, error: row.error });
  } catch (e) {
    unread.push(`pg_hba_file_rules: ${(e as Error).message}`);
  }
  return { problems, unread };
}
