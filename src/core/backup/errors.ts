// Turning what pg_dump / pg_restore / zstd and the disk said into one line a person can act on
// (connect errors: db/connectError.ts).

/** The meaningful line of a tool's stderr tail ("pg_dump: error: …"), without the noise. */
export function toolFailure(tool: string, code: number, stderrTail: string): string {
  const lines = stderrTail.split('\n').filter(Boolean);
  const err = lines.filter((l) => /error|fatal|could not|FATAL|No space|File size/i.test(l));
  const pick = (err.length ? err : lines)
    .slice(-2)
    .join('; ')
    .replace(/^(pg_dump|pg_restore|zstd|gzip):\s*(error:\s*)?/, '');
  if (code >= 128) return `${tool} was killed (signal ${code - 128})${pick ? `: ${pick}` : ''}`;
  return `${tool} failed (exit ${code})${pick ? `: ${pick}` : ''}`;
}

export function describeWriteError(e: unknown, path: string): string {
  const err = e as { code?: string; message?: string };
  if (err.code === 'ENOSPC') return `the disk is full: could not write ${path}`;
  if (err.code === 'EFBIG') return `file size limit reached writing ${path}`;
  if (err.code === 'EACCES' || err.code === 'EPERM') return `no permission to write ${path}`;
  return `could not write ${path}: ${err.message ?? String(e)}`;
}

/** The backup file itself is damaged (decompression failed): a verdict on the backup, not a
 *  fault of the machine verifying it. */
export class DamagedArchiveError extends Error {}

/** pg_restore exited non-zero (not killed): why is in its stderr, which may be the archive's
 *  content or the server it restores into. */
export class PgRestoreFailedError extends Error {
  constructor(
    code: number,
    readonly stderrTail: string,
  ) {
    super(toolFailure('pg_restore', code, stderrTail));
    this.name = 'PgRestoreFailedError';
  }

  /** The server went away or refused the login: a fault of the machine, not of the archive. */
  get aboutTheServer(): boolean {
    return /connection to server|could not connect|authentication failed|no password|server closed the connection|terminating connection/i.test(
      this.stderrTail,
    );
  }
}
