// `pgdba advise --url URL`: the index advisor over the database's top statements
// (pg_stat_statements), proved with HypoPG where it is installed. It creates nothing: each
// suggestion's CREATE INDEX CONCURRENTLY is printed for a person to run.
// Exit status: 0 no verified suggestion, 1 a verified one, 2 usage, connection or pg_stat_statements error.
import { terminalJson, terminalText } from '../core/terminalText';
import { errorText, explainConnectError } from '../core/db/connectError';
import { createPool } from '../core/db/pool';
import { readServerVersion } from '../core/db/serverInfo';
import { adviseIndexes, renderAdviceText, topAdvisorInputs } from '../core/advisor';
import { statementsReadiness, statementsStatus } from '../core/stats/statements';
import { BackupUsageError, intOption, parseArgs } from './backupArgs';
import { CLI_ADVICE, connectionFrom } from './connection';
import type { PgConnection } from '../core/db/connection';
import { hopFrom, SSH_OPTIONS, SSH_SWITCHES, SSH_USAGE } from './sshArgs';

const ADVISE_USAGE = `usage: pgdba advise [--url URL] [--format text|json] [--limit N] [--timeout MS] [--ssh [USER@]HOST[:PORT]]

Suggests indexes for the database's top statements by total time (pg_stat_statements): the
columns of their filters, joins and orderings, equality columns before range ones, expressions
such as lower(email). With HypoPG installed in the database each one is proved with a
hypothetical index — suggested only when the statement costs at least 100 and its cost falls by
50% — and the statements it speeds up are named with their cost before and after. Without it the
candidates are printed "not verified", with how to install HypoPG. Nothing is created: run the
CREATE INDEX CONCURRENTLY printed. The connection: --url, else the PG* variables or $PGDBA_URL.

options:
  --url URL         postgres://user@host:port/db
  --format text|json  default text
  --limit N         top statements read (default 20)
  --timeout MS      each query's deadline (default 30000)
${SSH_USAGE}exit status: 0 no verified suggestion, 1 a verified suggestion, 2 usage or connection error
`;

export async function adviseCommand(args: string[]): Promise<number> {
  let conn: PgConnection;
  let format: string;
  let limit: number;
  let timeoutMs: number;
  try {
    const p = parseArgs(args, ['url', 'format', 'limit', 'timeout', ...SSH_OPTIONS], [...SSH_SWITCHES]);
    if (p.flags.has('help')) return (process.stdout.write(ADVISE_USAGE), 0);
    if (p.positional.length) throw new BackupUsageError(`unexpected argument "${p.positional[0]}"`);
    format = p.options.get('format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new BackupUsageError('--format must be text or json');
    limit = intOption(p, 'limit') ?? 20;
    timeoutMs = intOption(p, 'timeout') ?? 30_000;
    conn = await connectionFrom(p.options.get('url'), undefined, process.env, hopFrom(p));
  } catch (e) {
    process.stderr.write(
      `pgdba advise: ${terminalText((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '')}\n${e instanceof BackupUsageError ? 'run `pgdba advise --help` for the options\n' : ''}`,
    );
    return 2;
  }
  const pool = createPool(conn, { statementTimeoutMs: timeoutMs, max: 2 });
  const fail = (text: string) => (process.stderr.write(`pgdba advise: ${terminalText(text)}\n`), 2);
  try {
    // The first query is where an unreachable server shows: its words are a connect error's.
    const version = await readServerVersion(pool).catch((e: unknown) => {
      throw new Error(explainConnectError(e, conn, CLI_ADVICE));
    });
    const v = { versionNum: version.num };
    const status = await statementsStatus(pool, v);
    const ready = statementsReadiness(status);
    if (!ready.ready) {
      process.stderr.write(
        `pgdba advise: ${terminalText(ready.reason ?? 'pg_stat_statements is not available')}\n${ready.fixSql ? `  ${terminalText(ready.fixSql)};\n` : ''}`,
      );
      return 2;
    }
    const database = (await pool.query<{ d: string }>('SELECT current_database() AS d')).rows[0]?.d ?? conn.database;
    const statements = await topAdvisorInputs(pool, {
      versionNum: version.num,
      schema: status.schema ?? 'public',
      extVersion: status.installedVersion,
      database,
      limit,
    });
    const report = await adviseIndexes({ pool, versionNum: version.num, statements, explainTimeoutMs: timeoutMs });
    process.stdout.write(format === 'json' ? terminalJson(report) + '\n' : terminalText(renderAdviceText(report), { lines: true }));
    return report.suggestions.some((s) => s.verified) ? 1 : 0;
  } catch (e) {
    return fail(errorText(e, CLI_ADVICE));
  } finally {
    await pool.end().catch(() => undefined);
  }
}
