// Finding pgbench as the backup finds pg_dump (pgdba.pgBinDir first, then PATH; a real
// --version read). pgbench 13+ speaks to servers 13–18 (the protocol and its tables have not
// changed); older ones lack -P's failed count and --log-prefix behaviour we rely on.
import { delimiter } from 'node:path';
import { findExecutable, parseToolVersion, type ToolOptions, type ToolVersion } from '../backup/tools';
import { runCapture } from '../backup/proc';

export const MIN_PGBENCH_MAJOR = 13;

export async function findPgbench(opts: ToolOptions = {}): Promise<ToolVersion> {
  const path = (opts.env ?? process.env).PATH ?? '';
  const dirs = [...(opts.pgBinDir ? [opts.pgBinDir] : []), ...path.split(delimiter)];
  const exe = await findExecutable('pgbench', dirs);
  if (!exe) {
    throw new Error(`pgbench was not found${opts.pgBinDir ? ` in ${opts.pgBinDir} or` : ' on'} the PATH: install postgresql-contrib or postgresql-client (Debian/Ubuntu ship it with the client) or set pgdba.pgBinDir`);
  }
  const r = await runCapture(exe, ['--version']);
  const v = parseToolVersion(r.stdout);
  if (r.code !== 0 || !v) throw new Error(`${exe} --version did not print a PostgreSQL version`);
  if (v.major < MIN_PGBENCH_MAJOR) throw new Error(`pgbench ${v.text} is too old for a load test (13 or newer is needed): install a newer postgresql-client or set pgdba.pgBinDir`);
  return { path: exe, ...v };
}
