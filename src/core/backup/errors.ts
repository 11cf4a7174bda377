// Turning what pg_dump / pg_restore / libpq said into one line a person can act on.
import type { PgTarget } from './target';

export function describeConnectFailure(e: unknown, t: PgTarget): string {
  const err = e as { code?: string; message?: string };
  const where = `${t.host}:${t.port}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `no PostgreSQL server answers at ${where}: is it running, and is the port right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host "${t.host}" is unknown`;
    case '28P01':
      return `password authentication failed for user "${t.user}" at ${where}: check PGPASSWORD or ~/.pgpass`;
    case '28000':
      return `the server at ${where} refused user "${t.user}" (no pg_hba.conf line for this host, user and database)`;
    case '3D000':
      return `database "${t.database}" does not exist on ${where}`;
    default:
      if (/password must be a string|SASL: .*password|no password/i.test(err.message ?? '')) {
        return `no password for ${t.user}@${where}: set PGPASSWORD or add it to ~/.pgpass`;
      }
      return `cannot connect to ${where}: ${err.message ?? String(e)}`;
  }
}

/** The meaningful line of a tool's stderr tail ("pg_dump: error: …"), without the noise. */
export function toolFailure(tool: string, code: number, stderrTail: string): string {
  const lines = stderrTail.split('\n').filter(Boolean);
  const err = lines.filter((l) => /error|fatal|could not|FATAL|No space|File size/i.test(l));
  const pick = (err.length ? err : lines).slice(-2).join('; ').replace(/^(pg_dump|pg_restore|zstd|gzip):\s*(error:\s*)?/, '');
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
