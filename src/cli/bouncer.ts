// `pgdba bouncer`: a PgBouncer's pools, stats and findings from its admin console, as text or
// JSON. With --server-url the server behind it is read too (the pool arithmetic against its free
// connections, auth_type against its passwords). Exit: 0 nothing at warning or above, 1 something
// is, 2 bad usage or a console (or server) that cannot be reached.
import { ConsoleError, describeConsoleFailure, withConsole } from '../core/bouncer/console';
import { bouncerFindings } from '../core/bouncer/findings';
import { bouncerReport, renderBouncerText, type BouncerReport } from '../core/bouncer/report';
import { readServerRoom, type ServerRoom } from '../core/bouncer/serverRoom';
import { readBouncerSnapshot } from '../core/bouncer/snapshot';
import { explainConnectError } from '../core/db/connectError';
import type { PgConnection } from '../core/db/connection';
import { createPool } from '../core/db/pool';
import { readServerVersion } from '../core/db/serverInfo';
import { resolveThresholds } from '../core/stats/thresholds';
import { terminalJson, terminalText } from '../core/terminalText';
import { BackupUsageError, parseArgs } from './backupArgs';
import { CLI_ADVICE, connectionFrom } from './connection';
import { hopFrom, SSH_OPTIONS, SSH_SWITCHES, SSH_USAGE, type CliHop } from './sshArgs';

const BOUNCER_USAGE = `usage: pgdba bouncer --url postgres://USER@HOST:6432/pgbouncer [--server-url URL] [--format text|json]
                     [--ssh [USER@]HOST[:PORT]]

Reads a PgBouncer's admin console (SHOW POOLS, STATS, DATABASES, CLIENTS, SERVERS, CONFIG) and
prints its pools, stats and findings: clients waiting, maxwait, pools at their size with
clients waiting, the reserve pool in use. USER is in admin_users or stats_users of pgbouncer.ini;
the password from the URL, PGPASSWORD or ~/.pgpass (host:6432:pgbouncer:USER:password).

options:
  --url URL          the console: database pgbouncer at PgBouncer's port (default $PGDBA_BOUNCER_URL)
  --server-url URL   the server behind it: adds the pool arithmetic against its free connections
                     and PgBouncer's auth_type against the server's stored passwords
  --format text|json default text; json is {version, pools, stats, rates, findings}
${SSH_USAGE}                       (the console and --server-url both go through the hop)
exit status: 0 nothing at warning or above, 1 a warning or worse, 2 usage error or unreachable
`;

export async function bouncerCommand(args: string[]): Promise<number> {
  let format: string;
  let consoleUrl: string;
  let serverUrl: string | undefined;
  let hop: CliHop | undefined;
  try {
    const p = parseArgs(args, ['url', 'server-url', 'format', ...SSH_OPTIONS], [...SSH_SWITCHES]);
    if (p.flags.has('help')) return (process.stdout.write(BOUNCER_USAGE), 0);
    if (p.positional.length) throw new BackupUsageError(`unexpected argument "${p.positional[0]}"`);
    format = p.options.get('format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new BackupUsageError('--format must be text or json');
    const url = p.options.get('url') ?? process.env.PGDBA_BOUNCER_URL;
    if (!url) throw new BackupUsageError('--url postgres://USER@HOST:PORT/pgbouncer is needed (the console of PgBouncer)');
    consoleUrl = url;
    serverUrl = p.options.get('server-url');
    hop = hopFrom(p);
  } catch (e) {
    process.stderr.write(`pgdba bouncer: ${terminalText((e as Error).message)}\nrun \`pgdba bouncer --help\` for the options\n`);
    return 2;
  }
  let target: PgConnection;
  let server: PgConnection | undefined;
  try {
    // The console is a connection like any other: through the hop, its port as the SSH server sees it.
    target = await connectionFrom(consoleUrl, undefined, process.env, hop);
    server = serverUrl ? await connectionFrom(serverUrl, undefined, process.env, hop) : undefined;
  } catch (e) {
    process.stderr.write(`pgdba bouncer: ${terminalText((e as Error).message)}\n`);
    return 2;
  }
  const { thresholds, problems } = resolveThresholds();
  for (const p of problems) process.stderr.write(`pgdba bouncer: ${terminalText(p)}\n`);
  let room: ServerRoom | undefined;
  if (server) {
    const pool = createPool(server, { statementTimeoutMs: 10_000, max: 1 });
    try {
      room = await readServerRoom(pool, { versionNum: (await readServerVersion(pool)).num });
    } catch (e) {
      process.stderr.write(`pgdba bouncer: the server: ${terminalText(explainConnectError(e, server, CLI_ADVICE))}\n`);
      return 2;
    } finally {
      await pool.end().catch(() => undefined);
    }
  }
  let report: BouncerReport;
  try {
    report = await withConsole(target, async (con) => {
      const s = await readBouncerSnapshot(con);
      return bouncerReport(s, bouncerFindings(s, thresholds, room), room ? undefined : 'no --server-url');
    });
  } catch (e) {
    const words = e instanceof ConsoleError ? e.message : describeConsoleFailure(e, target, CLI_ADVICE, 'the port in --url');
    process.stderr.write(`pgdba bouncer: ${terminalText(words)}\n`);
    return 2;
  }
  process.stdout.write(format === 'json' ? `${terminalJson(report)}\n` : terminalText(renderBouncerText(report), { lines: true }));
  return report.findings.some((f) => f.level === 'warning' || f.level === 'critical') ? 1 : 0;
}
