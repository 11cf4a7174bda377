// `pgdba logs`: a server's log read as a DBA reads it — slow statements by fingerprint, errors,
// failed logins, locks, temp files, checkpoints, autovacuum, connections, PgBouncer — from files
// (directories and patterns too), or through SQL from the server (--url). With --state the read
// goes on where the last one stopped. Exit status: 0 nothing at warning, 1 something is, 2 usage
// or read error.
import { promises as fs } from 'node:fs';
import { basename, dirname } from 'node:path';
import { terminalJson, terminalText } from '../core/terminalText';
import { explainConnectError } from '../core/db/connectError';
import { createPool } from '../core/db/pool';
import type { HostAccess } from '../core/host/hostAccess';
import { localHost } from '../core/host/localHost';
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
  type LogCursor,
  type LogFormat,
  type LogSource,
} from '../core/logs';
import { renderHtml, renderMarkdown } from '../core/logs/render';
import { BackupUsageError, intOption, parseArgs } from './backupArgs';
import { CLI_ADVICE, connectionFrom } from './connection';
import { cliHopHost, hopFrom, SSH_OPTIONS, SSH_SWITCHES, SSH_USAGE } from './sshArgs';

const LOGS_USAGE = `usage: pgdba logs PATH... [--url URL] [--since T] [--until T] [--prefix P]
                  [--format text|json|md|html] [--log-format F] [--state FILE] [--top N]
                  [--ssh [USER@]HOST[:PORT]]

Reads PostgreSQL logs (stderr with any log_line_prefix, csvlog, jsonlog, syslog lines) and
PgBouncer's log, rotated and .gz files in time order, and reports slow statements grouped by
the PostgreSQL parser's fingerprint, errors by SQLSTATE and message, failed logins by client
address, too many clients, deadlocks and lock waits with both queries, temp files, checkpoints,
autovacuum per table, and connections and sessions per hour.

  PATH               a log file, a directory (its files), or a pattern such as 'log/postgresql-*';
                     with --ssh, a path on the SSH server's machine
  --url URL          the server: without PATH its log is read through SQL (pg_ls_logdir and
                     pg_read_binary_file: superuser, or pg_monitor and EXECUTE on
                     pg_stat_file and pg_read_binary_file),
                     or with --ssh its log_directory's files on the hop's machine;
                     with PATH, its log_line_prefix is used to read the files
  --since T, --until T  ISO time (2026-12-01T08:00Z, '2026-12-01 08:00') or an age (90m, 24h, 7d)
  --prefix P         the server's log_line_prefix (default: the seed's, or the one that fits)
  --log-format F     stderr, csvlog, jsonlog, syslog or pgbouncer (default: from the file)
  --format F         text (default), md, json or html
  --state FILE       where the last read stopped; the next read goes on from there
  --top N            rows of each list (default 200)
${SSH_USAGE}exit status: 0 nothing at warning or above, 1 something is, 2 usage or read error
`;

const LOG_FORMATS: readonly LogFormat[] = ['stderr', 'csvlog', 'jsonlog', 'syslog', 'pgbouncer'];

/** An ISO time, or an age before `now` (90m, 24h, 7d). */
export function parseTimeOption(v: string, name: string, now = Date.now()): number {
  const age = /^(\d+)([smhd])$/.exec(v);
  if (age) return now - Number(age[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 's' | 'm' | 'h' | 'd'];
  const t = Date.parse(/^\d{4}-\d\d-\d\d \d/.test(v) ? v.replace(' ', 'T') : v);
  if (Number.isNaN(t)) throw new BackupUsageError(`${name} must be an ISO time (2026-12-01T08:00Z) or an age (90m, 24h, 7d)`);
  return t;
}

/** The files of PATH... on `host`: this machine, or the SSH hop's (`where` names it in errors). */
async function fileSources(paths: string[], host: HostAccess, where: string): Promise<LogSource[]> {
  const out: LogSource[] = [];
  for (const p of paths) {
    const st = await host.stat(p);
    if (st?.isDirectory) {
      const files = oneFormatOnly(await listHostFiles(host, p));
      if (files.length === 0) throw new Error(`${p}${where} has no files`);
      for (const f of files) out.push(hostFileSource(host, f));
    } else if (!st && /[*?]/.test(basename(p))) {
      const files = await listHostFiles(host, dirname(p), basename(p));
      if (files.length === 0) throw new Error(`no file matches ${p}${where}`);
      for (const f of files) out.push(hostFileSource(host, f));
    } else if (!st) throw new Error(`${p} does not exist${where}`);
    else out.push(hostFileSource(host, p));
  }
  return out;
}

interface StateFile {
  version: 1;
  cursors: LogCursor[];
}

async function loadState(path: string): Promise<Map<string, LogCursor>> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw e;
  }
  try {
    const s = JSON.parse(text) as StateFile;
    if (s.version !== 1 || !Array.isArray(s.cursors)) throw new Error('not a state file');
    return new Map(s.cursors.filter((c) => typeof c?.label === 'string' && Number.isInteger(c.offset)).map((c) => [c.label, c]));
  } catch {
    throw new BackupUsageError(`${path} is not a pgdba logs state file: remove it to read the logs from their start`);
  }
}

/** Written to a temp name and renamed: a read stopped halfway leaves the last good state. */
async function saveState(path: string, cursors: LogCursor[]): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify({ version: 1, cursors } satisfies StateFile) + '\n', { mode: 0o600 });
  await fs.rename(tmp, path);
}

export async function logsCommand(args: string[]): Promise<number> {
  let pool: { end(): Promise<void>; query: ReturnType<typeof createPool>['query'] } | undefined;
  let hopHost: HostAccess | undefined;
  const fail = (e: unknown) => {
    process.stderr.write(
      `pgdba logs: ${terminalText((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '')}\n${e instanceof BackupUsageError ? 'run `pgdba logs --help` for the options\n' : ''}`,
    );
    return 2;
  };
  try {
    const p = parseArgs(args, ['url', 'since', 'until', 'prefix', 'format', 'log-format', 'state', 'top', ...SSH_OPTIONS], [...SSH_SWITCHES]);
    if (p.flags.has('help')) return (process.stdout.write(LOGS_USAGE), 0);
    const format = p.options.get('format') ?? 'text';
    if (!['text', 'md', 'json', 'html'].includes(format)) throw new BackupUsageError('--format must be text, md, json or html');
    const logFormat = p.options.get('log-format') as LogFormat | undefined;
    if (logFormat !== undefined && !LOG_FORMATS.includes(logFormat)) throw new BackupUsageError(`--log-format must be one of ${LOG_FORMATS.join(', ')}`);
    const since = p.options.has('since') ? parseTimeOption(p.options.get('since')!, '--since') : undefined;
    const until = p.options.has('until') ? parseTimeOption(p.options.get('until')!, '--until') : undefined;
    const top = intOption(p, 'top');
    const url = p.options.get('url');
    if (p.positional.length === 0 && !url) throw new BackupUsageError('give a log file, a directory or --url');
    let prefix = p.options.get('prefix');
    const hop = hopFrom(p);
    // Through a hop the files are the SSH server's, read over its session with the SSH user's rights.
    if (hop) hopHost = await cliHopHost(hop);
    const where = hop ? ` on ${hop.ssh}` : '';
    const sources = await fileSources(p.positional, hopHost ?? localHost, where);
    if (url) {
      const conn = await connectionFrom(url, undefined, process.env, hop);
      const server = createPool(conn, { statementTimeoutMs: 60_000, max: 1 });
      pool = server;
      try {
        (await server.connect()).release();
      } catch (e) {
        throw new Error(explainConnectError(e, conn, CLI_ADVICE));
      }
      if (prefix === undefined) prefix = (await server.query<{ p: string }>('SELECT current_setting($1) AS p', ['log_line_prefix'])).rows[0]?.p;
      if (p.positional.length === 0 && hopHost) {
        const dir = await serverLogDirectory(server);
        const files = oneFormatOnly(await listHostFiles(hopHost, dir));
        if (files.length === 0) throw new Error(`the server's log_directory ${dir}${where} has no files (logging_collector is off?): give the files instead`);
        for (const f of files) sources.push(hostFileSource(hopHost, f));
      } else if (p.positional.length === 0) {
        const files = oneFormatOnly((await listSqlLogFiles(server)).map((f) => f.name));
        if (files.length === 0) throw new Error('the server lists no log files (logging_collector is off?): give the files instead');
        for (const f of files) sources.push(sqlFileSource(server, f));
      }
    }
    const statePath = p.options.get('state');
    const cursors = statePath ? await loadState(statePath) : undefined;
    const analyzer = new LogAnalyzer(await Fingerprinter.create(), {
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(top !== undefined ? { top } : {}),
    });
    const read = await readLogs(sources, analyzer, {
      ...(prefix !== undefined ? { prefix } : {}),
      ...(logFormat ? { format: logFormat } : {}),
      ...(cursors ? { cursors } : {}),
    });
    const report = analyzer.report(read.reads);
    if (statePath) await saveState(statePath, read.cursors);
    if (format === 'json') process.stdout.write(terminalJson(report) + '\n');
    else if (format === 'html') process.stdout.write(renderHtml(report));
    else process.stdout.write(terminalText(renderMarkdown(report), { lines: true }));
    return report.findings.some((f) => f.level !== 'info') ? 1 : 0;
  } catch (e) {
    return fail(e);
  } finally {
    hopHost?.release();
    await pool?.end().catch(() => undefined);
  }
}
