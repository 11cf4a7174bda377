// The seed's first daily check, "Review slow query log": the server's log of the last day read
// where it lies — the server's machine through HostAccess (this machine, or the SSH hop), else
// through SQL where the role may (pg_ls_logdir, pg_read_binary_file) — into the log report of
// src/core/logs/, then its slowest statement groups, errors, failed logins, refused connections,
// deadlocks, lock waits, temp files and checkpoint warnings as findings under the alert
// thresholds. A log that cannot be read gives a finding that says why and what to do: the
// section is never silently empty. Files last written before the day are not read. With a
// SlowLogMemory (the extension keeps one per profile) a later report reads only what the log
// gained, into the same analyzer (slowLogMemory.ts).
import { posix } from 'node:path';
import type { HostAccess } from '../host/hostAccess';
import { formatBytes, formatCount, formatDuration } from '../format';
import {
  Fingerprinter,
  LogAnalyzer,
  hostFileSource,
  listHostFiles,
  listSqlLogFiles,
  oneFormatOnly,
  readLogs,
  serverLogDirectory,
  sqlFileSource,
  sqlLogGrant,
  type LogReport,
  type LogSource,
  type StatementGroup,
} from '../logs';
import type { HealthContext } from './context';
import { shortQuery } from './names';
import { localDay, mergeRead, SlowLogMemory, type SlowLogRead, type SlowLogWindow } from './slowLogMemory';
import type { Finding, Fix, HealthLevel } from './types';

const CHECK = 'slow-log' as const;
const SQL_WHERE = 'through SQL';
const DAY_MS = 86_400_000;
/** Statement groups shown by total time; and at most this many more that are at a level. */
export const SLOW_LOG_TOP = 5;
const FLAGGED_MORE = 10;

/** What the log report's other findings are about, and why they matter, in the health report's words. */
const LOG_FINDINGS: Record<string, { subject: string; why: string }> = {
  'LOG-PANIC': { subject: 'PANIC', why: 'A PANIC stops the server, which then restarts through crash recovery.' },
  'LOG-DEADLOCK': { subject: 'deadlocks', why: 'Each deadlock cancelled one of the transactions in it.' },
  'LOG-LOCK-WAIT': { subject: 'lock waits', why: 'Sessions waited for locks past the lock-wait threshold (log_lock_waits).' },
  'LOG-CHECKPOINT-FREQUENT': { subject: 'checkpoints', why: 'max_wal_size filled before checkpoint_timeout, so the server asked for checkpoints early.' },
  'LOG-TOO-MANY-CLIENTS': { subject: 'too many clients', why: 'Clients were refused: every connection slot was taken.' },
  'LOG-AUTH-FAILURES': {
    subject: 'failed logins',
    why: "That many failed logins from one address look like password guessing (the seed's port is open to the internet).",
  },
  'LOG-TEMP-FILES': { subject: 'temp files', why: 'One statement shape wrote that much to temp files: its sorts or hashes spill past work_mem.' },
  'LOG-PGBOUNCER-AUTH': {
    subject: 'PgBouncer logins',
    why: 'That many failed PgBouncer logins from one address look like guessing or a misconfigured client.',
  },
  'LOG-UNPLACED': { subject: 'server log', why: 'Lines that match no entry are not counted in this section.' },
};

/** Where the server's log can be read from: its machine, or SQL; `none` says why neither. */
export type LogAccess = { kind: 'host'; host: HostAccess } | { kind: 'sql' } | { kind: 'none'; why: string };

interface LogSettings {
  collector: boolean;
  destination: string;
  prefix: string;
  /** ms; -1: no statement durations logged. */
  minDurationMs: number;
  clusterName: string;
}

async function logSettings(ctx: HealthContext): Promise<LogSettings> {
  const names = ['logging_collector', 'log_destination', 'log_line_prefix', 'log_min_duration_statement', 'cluster_name'];
  const r = await ctx.pool.query<{ name: string; setting: string }>('SELECT name, setting FROM pg_settings WHERE name = ANY($1)', [names]);
  const get = (n: string) => r.rows.find((x) => x.name === n)?.setting ?? '';
  return {
    collector: get('logging_collector') === 'on',
    destination: get('log_destination'),
    prefix: get('log_line_prefix'),
    minDurationMs: Number(get('log_min_duration_statement') || -1),
    clusterName: get('cluster_name'),
  };
}

const base = (level: HealthLevel, subject: string, observed: string, why: string, fix?: Fix): Finding => ({
  check: CHECK,
  schedule: 'daily',
  level,
  subject,
  observed,
  why,
  ...(fix ? { fix } : {}),
});

class Unreadable extends Error {
  constructor(
    message: string,
    readonly fix: Fix,
  ) {
    super(message);
  }
}

const READ_FIX: Fix = {
  kind: 'note',
  text: "Read the log as a user that may: on the server's machine add the SSH user to the server's group and set log_file_mode = 0640 (the log directory needs g+rx), or connect as a role that may read it through SQL (pg_monitor, and EXECUTE on pg_stat_file and pg_read_binary_file).",
};

/** The log files of the last day on the server's machine. */
async function hostSources(ctx: HealthContext, host: HostAccess, s: LogSettings, since: number): Promise<LogSource[]> {
  let dir: string;
  let pattern: string | undefined;
  if (s.collector) dir = await serverLogDirectory(ctx.pool);
  else {
    // Debian's clusters (pg_ctlcluster) write stderr to /var/log/postgresql/postgresql-16-main.log, rotated by logrotate.
    const debian = /^(\d+)\/([\w.-]+)$/.exec(s.clusterName);
    if (!debian)
      throw new Unreadable("logging_collector is off: the log goes to the server's stderr (journald or its service's file), which pgdba cannot find.", {
        kind: 'setting',
        text: "logging_collector = on  # the seed's; restart needed\nlog_directory = 'log'",
      });
    dir = '/var/log/postgresql';
    pattern = `postgresql-${debian[1]}-${debian[2]}.log*`;
  }
  let files: string[];
  try {
    files = await listHostFiles(host, dir, pattern);
  } catch (e) {
    throw new Unreadable(`${host.label} may not list ${dir}: ${e instanceof Error ? e.message : String(e)}.`, READ_FIX);
  }
  if (files.length === 0) throw new Unreadable(`${posix.join(dir, pattern ?? '')} holds no log file on ${host.label}.`, READ_FIX);
  const out: LogSource[] = [];
  for (const f of oneFormatOnly(files)) {
    const st = await host.stat(f).catch(() => undefined);
    if (st && st.mtimeMs >= since) out.push(hostFileSource(host, f));
  }
  return out;
}

/** The grants that let the profile's role read the log through SQL. */
const sqlGrantFix = (ctx: HealthContext): Fix => ({
  kind: 'sql',
  text: `${sqlLogGrant(ctx.overview.currentUser)}  -- or read the log on the server's machine: give the profile its SSH hop`,
});

/** The log files of the last day through SQL. */
async function sqlSources(ctx: HealthContext, since: number): Promise<LogSource[]> {
  let files;
  try {
    files = await listSqlLogFiles(ctx.pool);
  } catch (e) {
    throw new Unreadable(`${e instanceof Error ? e.message : String(e)}.`, sqlGrantFix(ctx));
  }
  const recent = new Set(files.filter((f) => f.modified.getTime() >= since).map((f) => f.name));
  return oneFormatOnly(files.map((f) => f.name))
    .filter((n) => recent.has(n))
    .map((n) => sqlFileSource(ctx.pool, n));
}

/** The statement to run for a plan: EXPLAIN ANALYZE runs it, so a write is rolled back; a utility statement has no plan. */
function explainFix(g: StatementGroup): Fix | undefined {
  const text = g.worst.text.trim().replace(/;\s*$/, '');
  const kind = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '';
  if (!['select', 'with', 'values', 'table', 'insert', 'update', 'delete', 'merge'].includes(kind)) return undefined;
  if (/\$\d/.test(text))
    return {
      kind: 'note',
      text: `EXPLAIN (ANALYZE, BUFFERS) its worst run with its parameters${g.worst.parameters ? ` (${g.worst.parameters})` : ''}: ${shortQuery(text, 300)}`,
    };
  const writes = !['select', 'values', 'table'].includes(kind) || /\b(insert|update|delete|merge)\b/i.test(text);
  return { kind: 'sql', text: writes ? `BEGIN;\nEXPLAIN (ANALYZE, BUFFERS) ${text};\nROLLBACK;` : `EXPLAIN (ANALYZE, BUFFERS) ${text};` };
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;
const ms = (v: number) => formatDuration(v / 1000);
const utcMinute = (t: number) => `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** How a report's read went on from an earlier one's: the window's start and what was read this time. */
export interface SlowLogSpan {
  since: number;
  now: number;
  read: SlowLogRead;
  /** When the report this one went on from read the log (ms). */
  previousAt?: number;
}

/** The report's findings as the health report's. */
export function slowLogFindings(r: LogReport, where: string, s: Pick<LogSettings, 'minDurationMs'>, span?: SlowLogSpan): Finding[] {
  const out: Finding[] = [];
  const sum = r.summary;
  const logged = s.minDurationMs >= 0 ? `over ${ms(s.minDurationMs)}` : 'with a duration';
  const bytes = r.sources.reduce((n, x) => n + x.bytes, 0);
  // A window gone on with since an earlier report is longer than a day: it is named.
  const window = span && span.now - span.since > DAY_MS + 60_000 ? `since ${utcMinute(span.since)}` : 'in the last day';
  const files = `${r.sources.length} file${r.sources.length === 1 ? '' : 's'} ${where}`;
  const how =
    span?.read.continued && span.previousAt !== undefined
      ? ` (${formatBytes(span.read.bytes)} of it new since the report of ${utcMinute(span.previousAt)})`
      : span?.read.restart
        ? ` (all again: ${span.read.restart})`
        : '';
  const read = `Read ${formatBytes(bytes)} of ${files}${how}`;
  const levelOf = (id: string) => r.findings.find((f) => f.group === id)?.level;
  const errorsWhy = r.errors
    .slice(0, 3)
    .map((e) => `${e.level}${e.sqlstate ? ` ${e.sqlstate}` : ''}: ${shortQuery(e.pattern, 60)} ×${formatCount(e.count)}`)
    .join('; ');
  out.push(
    base(
      'ok',
      'server log',
      `${plural(sum.statements, 'statement')} ${logged} in ${plural(sum.statementGroups, 'group')}, ${plural(sum.errors, 'error')}, ${plural(sum.fatals, 'fatal')} ${window}`,
      `${read}${sum.first ? `, ${sum.first} to ${sum.last}` : ''}.`,
    ),
  );
  const flagged = r.statements.slice(SLOW_LOG_TOP).filter((g) => levelOf(g.id) !== undefined);
  for (const g of [...r.statements.slice(0, SLOW_LOG_TOP), ...flagged.slice(0, FLAGGED_MORE)]) {
    const level = levelOf(g.id);
    out.push({
      ...base(
        level === 'info' || level === undefined ? 'info' : level,
        shortQuery(g.query),
        `${plural(g.count, 'call')}, total ${ms(g.totalMs)}, mean ${ms(g.meanMs)}, p95 ${ms(g.p95Ms)}, max ${ms(g.maxMs)}`,
        `${level ? r.findings.find((f) => f.group === g.id)!.message : 'Among the slowest statement groups of the day by total time'}; worst at ${g.worst.file}:${g.worst.line}${g.worst.user ? ` (${g.worst.user}@${g.worst.database ?? '?'})` : ''}.`,
        explainFix(g),
      ),
      value: g.totalMs,
    });
  }
  if (sum.errors + sum.fatals > 0)
    out.push(base('info', 'errors', `${plural(sum.errors, 'error')}, ${plural(sum.fatals, 'fatal')}`, `Most frequent: ${errorsWhy}.`));
  const auth = r.connections.authFailures;
  if (auth.length)
    out.push(
      base(
        'info',
        'failed logins',
        `${formatCount(auth.reduce((n, a) => n + a.count, 0))} from ${plural(auth.length, 'address', 'addresses')}`,
        `By address: ${auth
          .slice(0, 5)
          .map((a) => `${a.address} ×${a.count} (${Object.keys(a.reasons).join(', ')})`)
          .join('; ')}.`,
      ),
    );
  if (sum.tempFiles > 0) {
    const t = r.tempFiles[0];
    out.push(
      base(
        'info',
        'temp files',
        `${plural(sum.tempFiles, 'temp file')}, ${formatBytes(r.tempFiles.reduce((n, x) => n + x.totalBytes, 0))}`,
        `Most written by: ${t ? `${shortQuery(t.query, 100)} (${formatBytes(t.totalBytes)})` : '?'}.`,
      ),
    );
  }
  // The log report's other findings, each with its level and what to do.
  for (const f of r.findings) {
    if (f.group !== undefined) continue;
    const words = LOG_FINDINGS[f.code] ?? { subject: 'server log', why: `${f.message}.` };
    out.push(base(f.level, words.subject, f.message, words.why, f.fix ? { kind: 'note', text: f.fix } : undefined));
  }
  return out;
}

/** The day's log files, from the server's machine (falling back to SQL); or why neither could be listed and what to do. */
async function listSources(
  ctx: HealthContext,
  access: LogAccess,
  settings: LogSettings,
  since: number,
): Promise<{ sources: LogSource[]; where: string } | { tried: string[]; fix: Fix }> {
  const tried: string[] = [];
  let fix: Fix = READ_FIX;
  if (access.kind === 'host') {
    try {
      return { sources: await hostSources(ctx, access.host, settings, since), where: `on ${access.host.label}` };
    } catch (e) {
      tried.push(e instanceof Error ? e.message : String(e));
      if (e instanceof Unreadable) fix = e.fix;
    }
  } else if (access.kind === 'none') tried.push(access.why);
  if (settings.collector) {
    try {
      return { sources: await sqlSources(ctx, since), where: SQL_WHERE };
    } catch (e) {
      tried.push(e instanceof Error ? e.message : String(e));
      if (e instanceof Unreadable && access.kind === 'sql') fix = e.fix;
    }
  }
  return { tried, fix };
}

/** A file read before that is no longer the one its cursor is of (stat only: truncated, or another inode under its name). */
async function movedFile(w: SlowLogWindow, sources: LogSource[]): Promise<string | undefined> {
  for (const src of sources) {
    const c = w.cursors.get(src.label);
    // A gzip file's cursor counts its decompressed bytes; readLogs compares it whole.
    if (!c || src.gzip) continue;
    const st = await src.stat();
    if (!st) continue;
    if (st.size < c.offset) return `${src.label} was truncated`;
    if (c.ino !== undefined && st.ino !== undefined && c.ino !== st.ino) return `${src.label} is a new file (rotated)`;
  }
  return undefined;
}

/**
 * The check: reads the last day of the log through `access` (falling back to SQL) and reports it.
 * With `memory` kept from an earlier report of the same server, it reads only what the log gained
 * since (slowLogMemory.ts), and starts over when the window cannot go on.
 */
export async function slowLogCheck(ctx: HealthContext, access: LogAccess, memory = new SlowLogMemory()): Promise<Finding[]> {
  let settings: LogSettings;
  try {
    settings = await logSettings(ctx);
  } catch (e) {
    return [base('info', 'server log', 'not read', `The log settings could not be read: ${e instanceof Error ? e.message : String(e)}.`)];
  }
  const out: Finding[] = [];
  if (settings.minDurationMs < 0)
    out.push(
      base('info', 'log_min_duration_statement', '-1 (off)', 'The server logs no statement durations, so the log has no slow statements to review.', {
        kind: 'setting',
        text: "log_min_duration_statement = 1000  # the seed's: every statement over 1 s; reload",
      }),
    );
  const now = ctx.now.getTime();
  // The analyzer's options and the format: a window read under other ones cannot go on.
  const key = JSON.stringify([settings.collector, settings.destination, settings.prefix, settings.clusterName, ctx.t]);
  return memory.exclusive(async () => {
    const taken = memory.take(ctx.now, key);
    let kept = 'window' in taken ? taken.window : undefined;
    let restart = 'restart' in taken ? taken.restart : undefined;
    // At most twice: a kept window that cannot go on is dropped and the day read whole.
    for (;;) {
      const since = kept?.since ?? now - DAY_MS;
      const listed = await listSources(ctx, access, settings, since);
      if (!('sources' in listed)) {
        memory.forget();
        out.push(base('info', 'server log', 'not read', listed.tried.join(' '), listed.fix));
        return out;
      }
      const { sources, where } = listed;
      if (sources.length === 0) {
        memory.forget();
        out.push(base('ok', 'server log', 'no log file written in the last day', `No file ${where} was modified since ${new Date(since).toISOString()}.`));
        return out;
      }
      if (kept) {
        const moved = kept.where !== where ? `the log is now read ${where}` : await movedFile(kept, sources).catch(() => undefined);
        if (moved) {
          [kept, restart] = [undefined, moved];
          continue;
        }
      }
      let w: SlowLogWindow;
      let read;
      try {
        w = kept ?? {
          key,
          where,
          day: localDay(ctx.now),
          since,
          readAt: now,
          analyzer: new LogAnalyzer(await Fingerprinter.create(), { since, thresholds: ctx.t, top: 200 }),
          cursors: new Map(),
          reads: new Map(),
        };
        read = await readLogs(sources, w.analyzer, { prefix: settings.prefix, cursors: w.cursors, ...(ctx.signal ? { signal: ctx.signal } : {}) });
      } catch (e) {
        memory.forget();
        // pg_monitor lists the directory but may not read a file: through SQL, the GRANT is the fix.
        const fix = where === SQL_WHERE ? sqlGrantFix(ctx) : READ_FIX;
        out.push(base('info', 'server log', 'not read', `The log ${where} could not be read: ${e instanceof Error ? e.message : String(e)}.`, fix));
        return out;
      }
      // A file whose head changed under its name was read from its start into the kept analyzer: start over.
      const rewritten = kept && read.reads.find((r) => r.from === 0 && (kept!.cursors.get(r.label)?.offset ?? 0) > 0);
      if (rewritten) {
        [kept, restart] = [undefined, `${rewritten.label} was rotated or rewritten`];
        continue;
      }
      const previousAt = kept?.readAt;
      w.readAt = now;
      w.cursors = new Map(read.cursors.map((c) => [c.label, c]));
      for (const r of read.reads) w.reads.set(r.label, mergeRead(w.reads.get(r.label), r));
      const done: SlowLogRead = { bytes: read.reads.reduce((n, r) => n + r.bytes, 0), continued: kept !== undefined, ...(restart ? { restart } : {}) };
      memory.keep(w, done);
      out.push(
        ...slowLogFindings(w.analyzer.report([...w.reads.values()]), where, settings, {
          since: w.since,
          now,
          read: done,
          ...(previousAt !== undefined ? { previousAt } : {}),
        }),
      );
      return out;
    }
  });
}
