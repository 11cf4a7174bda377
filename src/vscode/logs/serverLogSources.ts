// Where a server's log is read from in the editor: its log_directory's files on the profile's
// machine (ctx.connections.host: the SSH hop's, or this machine's for a local server), read with
// that user's rights; else through SQL (pg_ls_logdir + pg_read_binary_file) where the role may.
// When neither works, one error says what each attempt met and what to do.
import type { ConnectionProfile } from '../../core/db/profile';
import { errorText } from '../../core/db/connectError';
import {
  hostFileSource,
  listHostFiles,
  listSqlLogFiles,
  oneFormatOnly,
  serverLogDirectory,
  sqlFileSource,
  type LogSource,
  type SqlRunner,
} from '../../core/logs';
import type { LogSourceInfo } from '../../core/logs/logsProtocol';
import { VSCODE_ADVICE } from '../connectAdvice';
import type { Ctx } from '../ctx';

export interface ServerLog {
  sources: LogSource[];
  info: LogSourceInfo;
  /** The server's log_line_prefix, to read stderr files with. */
  prefix: string | undefined;
}

const said = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

export async function serverLogSources(ctx: Ctx, profile: ConnectionProfile): Promise<ServerLog> {
  // SQL through the profile's pool each time: a pool dropped (a reset, a lost server) is made again.
  const sql: SqlRunner = { query: (text, values) => ctx.connections.use(profile, (pool) => pool.query(text, values)) };
  let prefix: string | undefined;
  let dir: string;
  try {
    [prefix, dir] = await ctx.connections.use(profile, async (pool) => [
      (await pool.query<{ p: string }>('SELECT current_setting($1) AS p', ['log_line_prefix'])).rows[0]?.p,
      await serverLogDirectory(pool),
    ]);
  } catch (e) {
    throw new Error(`Cannot read ${profile.name}'s log settings: ${errorText(e, VSCODE_ADVICE)}`);
  }
  const attempts: string[] = [];
  try {
    const host = ctx.connections.host(profile);
    const files = oneFormatOnly(await listHostFiles(host, dir));
    if (files.length > 0) {
      const ssh = host.kind !== 'local';
      return {
        sources: files.map((f) => hostFileSource(host, f)),
        info: { kind: ssh ? 'ssh' : 'local', text: `${dir} on ${ssh ? `${host.label} (SSH)` : 'this machine'}`, files },
        prefix,
      };
    }
    attempts.push(`${dir} holds no file (is logging_collector on?)`);
  } catch (e) {
    attempts.push(`the files of ${dir}: ${said(e)}`);
  }
  try {
    const names = oneFormatOnly((await listSqlLogFiles(sql)).map((f) => f.name));
    if (names.length > 0) {
      const sources = names.map((n) => sqlFileSource(sql, n));
      return { sources, info: { kind: 'sql', text: `${dir} through SQL (pg_ls_logdir, pg_read_binary_file)`, files: sources.map((s) => s.label) }, prefix };
    }
    attempts.push('the server lists no log file through SQL (is logging_collector on?)');
  } catch (e) {
    attempts.push(`through SQL: ${said(e)}`);
  }
  throw new Error(
    `Cannot read ${profile.name}'s log. ${attempts.map((a) => a.replace(/^./, (c) => c.toUpperCase())).join('. ')}. ` +
      'Give the profile an SSH hop whose user may read the log directory, grant this role pg_monitor and pg_read_server_files, ' +
      'or open the files you have with "PostgreSQL DBA: Open Log Files…".',
  );
}
