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
  sqlLogGrant,
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
  const attempts: string[] = [];
  let prefix: string | undefined;
  let dir: string | undefined;
  try {
    [prefix, dir] = await ctx.connections.use(profile, async (pool) => [
      (await pool.query<{ p: string }>('SELECT current_setting($1) AS p', ['log_line_prefix'])).rows[0]?.p,
      await serverLogDirectory(pool),
    ]);
  } catch (e) {
    // A role that may not see log_directory can read the log neither way: said with the rest.
    if ((e as { code?: string }).code !== '42501') throw new Error(`Cannot read ${profile.name}'s log settings: ${errorText(e, VSCODE_ADVICE)}`);
    attempts.push(`the log directory: ${said(e)}`);
  }
  if (dir !== undefined) {
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
        // pg_ls_logdir (pg_monitor) lists what pg_stat_file and pg_read_binary_file may still refuse: asked now, said with the rest.
        await sources.at(-1)!.stat();
        return { sources, info: { kind: 'sql', text: `${dir} through SQL (pg_ls_logdir, pg_read_binary_file)`, files: sources.map((s) => s.label) }, prefix };
      }
      attempts.push('the server lists no log file through SQL (is logging_collector on?)');
    } catch (e) {
      attempts.push(`through SQL: ${said(e)}`);
    }
  }
  const files = profile.ssh
    ? `let the SSH user of ${profile.ssh} read ${dir ?? 'the log directory'} (in the server's group, with log_file_mode = 0640 and the directory g+rx)`
    : 'give the profile an SSH hop whose user may read the log directory';
  // A line each (the page keeps them): what each attempt met, then the ways to read it.
  throw new Error(
    [
      `Cannot read ${profile.name}'s log:`,
      ...attempts.map((a) => `· ${a.replace(/^./, (c) => c.toUpperCase())}.`),
      `To read it, ${files}; or, as a superuser, run`,
      sqlLogGrant(profile.user),
      'or open the files you have with "PostgreSQL DBA: Open Log Files…".',
    ].join('\n'),
  );
}
