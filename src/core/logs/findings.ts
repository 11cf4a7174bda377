// What in a log report is at a level, under the alert thresholds (src/core/stats/thresholds.ts):
// the CLI exits 1 when one is a warning or worse. Each says what to do.
import type { Thresholds } from '../stats/thresholds';
import type { LogFinding, LogReport } from './report';

/** Failed logins from one address at which it looks like guessing, not a typo (the seed's port is open to the internet). */
export const AUTH_FAILURES_WARN = 10;
/** Bytes of temp files one statement shape wrote in the log's time at which work_mem is worth a look. */
export const TEMP_BYTES_INFO = 1024 ** 3;

const s = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const short = (q: string) => (q.length > 80 ? `${q.slice(0, 77)}…` : q).replace(/\s+/g, ' ');

export function findingsOf(r: LogReport, t: Thresholds): LogFinding[] {
  const out: LogFinding[] = [];
  const sum = r.summary;
  if (sum.panics > 0)
    out.push({
      level: 'critical',
      code: 'LOG-PANIC',
      message: `${s(sum.panics, 'PANIC')}: the server restarted`,
      fix: 'read the lines before each PANIC; check the disk and memory',
    });
  if (sum.deadlocks > 0)
    out.push({
      level: 'warning',
      code: 'LOG-DEADLOCK',
      message: `${s(sum.deadlocks, 'deadlock')}`,
      fix: 'take row locks in the same order in every transaction (both queries are in the locks table)',
    });
  const waits = r.locks.filter((l) => l.kind !== 'deadlock' && (l.waitedMs ?? 0) >= t.lockWaitSeconds.warn * 1000);
  if (waits.length > 0) {
    const longest = Math.max(...waits.map((l) => l.waitedMs ?? 0));
    out.push({
      level: longest >= t.lockWaitSeconds.crit * 1000 ? 'critical' : 'warning',
      code: 'LOG-LOCK-WAIT',
      message: `${s(waits.length, 'lock wait')} of ${t.lockWaitSeconds.warn} s or more (longest ${(longest / 1000).toFixed(1)} s)`,
      fix: 'keep transactions that write short; find the blocking query in the locks table',
    });
  }
  if (sum.checkpointWarnings > 0)
    out.push({
      level: 'warning',
      code: 'LOG-CHECKPOINT-FREQUENT',
      message: `checkpoints are occurring too frequently (${s(sum.checkpointWarnings, 'time')})`,
      fix: 'raise max_wal_size so checkpoints come from checkpoint_timeout',
    });
  const tm = r.connections.tooManyClients.count;
  if (tm > 0)
    out.push({
      level: 'warning',
      code: 'LOG-TOO-MANY-CLIENTS',
      message: `${s(tm, 'connection')} refused for want of a slot`,
      fix: 'pool connections (PgBouncer) or raise max_connections with the memory it needs',
    });
  for (const a of r.connections.authFailures)
    if (a.count >= AUTH_FAILURES_WARN)
      out.push({
        level: 'warning',
        code: 'LOG-AUTH-FAILURES',
        message: `${s(a.count, 'failed login')} from ${a.address}`,
        fix: 'allow only known networks in pg_hba.conf (and the firewall); block the address',
      });
  for (const g of r.statements) {
    if (g.maxMs >= t.longQuerySeconds.warn * 1000)
      out.push({
        level: g.maxMs >= t.longQuerySeconds.crit * 1000 ? 'critical' : 'warning',
        code: 'LOG-LONG-STATEMENT',
        message: `a statement ran ${(g.maxMs / 1000).toFixed(0)} s: ${short(g.query)}`,
        fix: 'Explain its worst sample; set statement_timeout for its role',
        group: g.id,
      });
    else if (g.count >= t.avgQueryTimeMs.minCalls && g.meanMs >= t.avgQueryTimeMs.crit)
      out.push({
        level: 'warning',
        code: 'LOG-SLOW-STATEMENT',
        message: `${s(g.count, 'call')} averaging ${g.meanMs.toFixed(0)} ms: ${short(g.query)}`,
        fix: 'Explain its worst sample (with its parameters) and index or rewrite it',
        group: g.id,
      });
  }
  for (const g of r.tempFiles)
    if (g.totalBytes >= TEMP_BYTES_INFO)
      out.push({
        level: 'info',
        code: 'LOG-TEMP-FILES',
        message: `${(g.totalBytes / 1024 ** 3).toFixed(1)} GB of temp files: ${short(g.query)}`,
        fix: 'raise work_mem for this query (SET LOCAL) or make it sort less',
      });
  if (r.pgbouncer)
    for (const a of r.pgbouncer.loginFailures)
      if (a.count >= AUTH_FAILURES_WARN)
        out.push({
          level: 'warning',
          code: 'LOG-PGBOUNCER-AUTH',
          message: `${s(a.count, 'failed PgBouncer login')} from ${a.address}`,
          fix: 'check auth_file and the client; block the address',
        });
  for (const src of r.sources)
    if (src.unplacedLines > 0)
      out.push({
        level: 'info',
        code: 'LOG-UNPLACED',
        message: `${src.label}: ${s(src.unplacedLines, 'line')} matched no entry (first at line ${src.unplacedSamples[0] ?? '?'})`,
        fix: src.format === 'stderr' ? `give the server's log_line_prefix with --prefix (read as "${src.prefix ?? ''}")` : 'check the file is a PostgreSQL log',
      });
  return out;
}
