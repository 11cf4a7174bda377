// `pgdba health`: the seed's daily, weekly and monthly checks against one server or many, as
// Markdown or JSON. Exit status: 0 nothing critical, 1 something is, 2 bad usage or a server
// that could not be reached or stalled (the report still lists every other server).
import { terminalText } from '../core/terminalText';
import { explainConnectError } from '../core/db/connectError';
import type { PgConnection } from '../core/db/connection';
import { createPool } from '../core/db/pool';
import { SCHEDULES, SERVER_TIMEOUT_MS, runHealthCheck, runMany, renderJson, renderMultiMarkdown, type Schedule, type ServerJob } from '../core/health';
import { BackupUsageError, intOption, parseArgs } from './backupArgs';
import { CLI_ADVICE, connectionFrom } from './connection';
import { describeConsoleFailure } from '../core/bouncer/console';
import { cliHopHost, hopFrom, SSH_OPTIONS, SSH_SWITCHES, SSH_USAGE, type CliHop } from './sshArgs';

const HEALTH_USAGE = `usage: pgdba health [--url URL ...] [--format md|json] [--backup-dir DIR]
                    [--checks daily|weekly|monthly|all] [--ram-gb N] [--max-connections N]
                    [--timeout MS] [--server-timeout MS] [--bouncer-url URL]

Runs the seed's monitoring schedule against each server and prints one report: daily (slow
queries, cache hit ratios, connections, autovacuum, checkpoints), weekly (bloat, index usage,
growth, backups in DIR), monthly (index optimisation, plans of the top queries, capacity).
Each finding has its level against the alert thresholds and the SQL or setting that fixes it.
The connection: each --url postgres://user@host:port/db, else PG* variables (PGHOST, PGPORT,
PGUSER, PGDATABASE) or $PGDBA_URL; passwords from the URL, PGPASSWORD or ~/.pgpass.

options:
  --url URL            a server to check; repeat for several (the seed's 25 hotels)
  --format md|json     default md
  --backup-dir DIR     where the nightly backups are (default $PGDBA_BACKUP_DIR; none: not checked)
  --checks WHICH       daily, weekly, monthly or all (default all)
  --ram-gb N           the server's RAM, for the memory advice (default: the host's own, read
                       from it when it is local or SQL may read /proc)
  --max-connections N  connections the server was sized for (pgdba.hardware.maxConnections)
  --timeout MS         each query's deadline (default 30000): statement_timeout on the server,
                       and 2 s later pgdba stops waiting for a server that does not answer
  --server-timeout MS  a server's whole report (default 300000); one that takes longer is a row
                       with the reason, and the other servers are reported all the same
  --bouncer-url URL    the PgBouncer in front of the (one) server: its console, postgres://USER@HOST:6432/pgbouncer,
                       sampled for the PgBouncer section (pool saturation, waits, the pool arithmetic)
${SSH_USAGE}exit status: 0 nothing critical, 1 something is critical, 2 usage error or a server unreachable
             or stalled
`;

/** Servers checked at the same time; more wait for a free slot. */
const MAX_SERVERS_AT_ONCE = 32;

/** --url may be repeated; the shared parser keeps one value per name, so they are taken out first. */
export function splitUrls(args: readonly string[]): { urls: string[]; rest: string[] } {
  const urls: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--url') {
      const v = args[++i];
      if (!v) throw new BackupUsageError('--url needs a value');
      urls.push(v);
    } else if (a.startsWith('--url=')) urls.push(a.slice(6));
    else rest.push(a);
  }
  return { urls, rest };
}

export function parseChecks(v: string | undefined): Schedule[] {
  if (v === undefined || v === 'all') return [...SCHEDULES];
  const list = v.split(',').map((s) => s.trim());
  for (const s of list) if (!(SCHEDULES as readonly string[]).includes(s)) throw new BackupUsageError('--checks must be daily, weekly, monthly or all');
  return list as Schedule[];
}

function positiveMs(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new BackupUsageError(`${name} must be a positive number of milliseconds`);
  return n;
}

async function connections(urls: string[], hop: CliHop | undefined): Promise<PgConnection[]> {
  if (urls.length === 0) return [await connectionFrom(undefined, undefined, process.env, hop)];
  const out: PgConnection[] = [];
  for (const url of urls) out.push(await connectionFrom(url, undefined, process.env, hop));
  return out;
}

export async function healthCommand(args: string[]): Promise<number> {
  let format: string;
  let jobs: ServerJob[];
  let serverTimeoutMs: number;
  const pools: { end(): Promise<void> }[] = [];
  try {
    const { urls, rest } = splitUrls(args);
    const p = parseArgs(
      rest,
      ['format', 'backup-dir', 'checks', 'ram-gb', 'max-connections', 'timeout', 'server-timeout', 'bouncer-url', ...SSH_OPTIONS],
      [...SSH_SWITCHES],
    );
    if (p.flags.has('help')) return (process.stdout.write(HEALTH_USAGE), 0);
    if (p.positional.length) throw new BackupUsageError(`unexpected argument "${p.positional[0]}"`);
    format = p.options.get('format') ?? 'md';
    if (format !== 'md' && format !== 'json') throw new BackupUsageError('--format must be md or json');
    const schedules = parseChecks(p.options.get('checks'));
    const ram = p.options.get('ram-gb');
    const ramGB = ram === undefined ? undefined : Number(ram);
    if (ramGB !== undefined && !(ramGB > 0)) throw new BackupUsageError('--ram-gb must be a number of GB above 0');
    const maxConnections = intOption(p, 'max-connections');
    const backupDir = p.options.get('backup-dir') ?? process.env.PGDBA_BACKUP_DIR;
    const queryTimeoutMs = positiveMs(p.options.get('timeout'), '--timeout') ?? 30_000;
    serverTimeoutMs = positiveMs(p.options.get('server-timeout'), '--server-timeout') ?? SERVER_TIMEOUT_MS;
    const bouncerUrl = p.options.get('bouncer-url');
    if (bouncerUrl && urls.length > 1) throw new BackupUsageError('--bouncer-url goes with one server (one --url)');
    const hop = hopFrom(p);
    // The console goes through the same hop as the server it stands in front of.
    const bouncerConsole = bouncerUrl ? await connectionFrom(bouncerUrl, undefined, process.env, hop) : undefined;
    const bouncer = bouncerConsole
      ? {
          bouncer: {
            console: bouncerConsole,
            describeError: (e: unknown) => describeConsoleFailure(e, bouncerConsole, CLI_ADVICE, 'the port in --bouncer-url'),
          },
        }
      : {};
    // The host facts come through the same hop as the connection.
    const openSsh = hop ? () => cliHopHost(hop) : undefined;
    jobs = (await connections(urls, hop)).map((c) => {
      // One connection per server: a report's checks run one after another on it.
      const pool = createPool(c, { statementTimeoutMs: queryTimeoutMs, max: 1 });
      pools.push(pool);
      // A CLI connection's name is its description (user@host:port/db).
      const server = { name: c.name, target: c.name };
      return {
        server,
        describeError: (e: unknown) => explainConnectError(e, c, CLI_ADVICE),
        run: (signal: AbortSignal) =>
          runHealthCheck({
            server,
            pool,
            host: c.host,
            // Through a hop the server is not this machine, whatever its host says (hostSourceFor).
            ...(hop && openSsh ? { ssh: hop.ssh, openSsh } : {}),
            schedules,
            signal,
            hardware: { ...(ramGB !== undefined ? { ramGB } : {}), ...(maxConnections !== undefined ? { maxConnections } : {}) },
            ...(backupDir ? { backupDir } : {}),
            ...bouncer,
          }),
      };
    });
  } catch (e) {
    await Promise.all(pools.map((x) => x.end().catch(() => undefined)));
    process.stderr.write(
      `pgdba health: ${terminalText((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '')}\n${e instanceof BackupUsageError ? 'run `pgdba health --help` for the options\n' : ''}`,
    );
    return 2;
  }
  try {
    // Every server at once (up to MAX_SERVERS_AT_ONCE): the slowest one bounds the run, not the sum.
    const report = await runMany(jobs, MAX_SERVERS_AT_ONCE, undefined, serverTimeoutMs);
    process.stdout.write(format === 'json' ? renderJson(report) : terminalText(renderMultiMarkdown(report), { lines: true }));
    for (const s of report.servers)
      if (!s.ok)
        process.stderr.write(`pgdba health: ${terminalText(`${s.server.name}: ${s.error}`)}
`);
    if (report.servers.some((s) => !s.ok)) return 2;
    return report.critical > 0 ? 1 : 0;
  } finally {
    await Promise.all(pools.map((x) => x.end().catch(() => undefined)));
  }
}
