// What `pgdba doctor` says: one line per thing the nightly backup needs, its level, and the fix.

/** fail: the nightly job would fail; warn: it would run, with something to look at; skip: not used here. */
export type DoctorLevel = 'ok' | 'warn' | 'fail' | 'skip';

export type DoctorCheckId =
  | 'server'
  | 'pgdba'
  | 'pg_dump'
  | 'pg_restore'
  | 'pgbench'
  | 'zstd'
  | 'service-user'
  | 'backup-dir'
  | 'free-space'
  | 'pgpass'
  | 'google-credentials'
  | 'drive-folder'
  | 'timer';

export interface DoctorCheck {
  id: DoctorCheckId;
  level: DoctorLevel;
  /** What was found, in words. */
  summary: string;
  /** What to do (a command where there is one). */
  fix?: string;
}

export interface DoctorReport {
  /** The machine checked: "this machine" or the SSH hop's label. */
  host: string;
  /** The user the nightly job runs as, and where that came from. */
  serviceUser?: string;
  checks: DoctorCheck[];
  failures: number;
  warnings: number;
}
