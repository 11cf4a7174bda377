// `pgdba host`: the server machine's facts (CPUs, RAM, disk, OS, kernel, uptime) as text or as
// JSON of exactly the documented shape; why a fact is unknown goes beside it (text) or to
// stderr (json). Exit status: 0 read, 2 usage error, unreachable server or unreadable host.
import { explainConnectError } from '../core/db/connectError';
import type { PgConnection } from '../core/db/connection';
import { createPool } from '../core/db/pool';
import { HostFactsError, hostFactsJson, readServerFacts } from '../core/host/facts';
import { renderHostFactsText } from '../core/host/factsText';
import { terminalJson, terminalText } from '../core/terminalText';
import { BackupUsageError, parseArgs } from './backupArgs';
import { CLI_ADVICE, connectionFrom } from './connection';
import { cliHopHost, hopFrom, SSH_OPTIONS, SSH_SWITCHES, SSH_USAGE, type CliHop } from './sshArgs';

const HOST_USAGE = `usage: pgdba host [--url URL] [--format text|json] [--backup-dir DIR] [--ssh [USER@]HOST[:PORT]]

The server's machine: CPUs, RAM, whether the data directory's disk rotates, free and total bytes
of the data directory's (and the backup directory's) file system, OS, kernel, uptime. Read from
this machine when the server is local (localhost or a socket directory), else what SQL can read
(pg_read_file of /proc: a superuser or pg_read_server_files), said as source "sql"; through
--ssh, read on the SSH server's machine (source "ssh").

options:
  --url URL          postgres://user@host:port/db (else PG* variables or $PGDBA_URL)
  --format text|json default text; json is {source, cpus, ramBytes, rotational, os, kernel,
                     uptimeSeconds, dataDirectory: {path, freeBytes, totalBytes}, backupDirectory?},
                     null for a fact not known (the reason on stderr)
  --backup-dir DIR   also the file system of the backups (default $PGDBA_BACKUP_DIR)
${SSH_USAGE}exit status: 0 read, 2 usage error, server unreachable or host unreadable
`;

export async function hostCommand(args: string[]): Promise<number> {
  const fail = (msg: string, usage = false) => {
    process.stderr.write(`pgdba host: ${terminalText(msg.split('\n')[0] ?? '')}\n${usage ? 'run `pgdba host --help` for the options\n' : ''}`);
    return 2;
  };
  let format: string;
  let conn: PgConnection;
  let backupDir: string | undefined;
  let hop: CliHop | undefined;
  try {
    const p = parseArgs(args, ['url', 'format', 'backup-dir', ...SSH_OPTIONS], [...SSH_SWITCHES]);
    if (p.flags.has('help')) return (process.stdout.write(HOST_USAGE), 0);
    if (p.positional.length) throw new BackupUsageError(`unexpected argument "${p.positional[0]}"`);
    format = p.options.get('format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new BackupUsageError('--format must be text or json');
    backupDir = p.options.get('backup-dir') ?? process.env.PGDBA_BACKUP_DIR;
    hop = hopFrom(p);
    conn = await connectionFrom(p.options.get('url'), undefined, process.env, hop);
  } catch (e) {
    return fail((e as Error).message, e instanceof BackupUsageError);
  }
  const pool = createPool(conn, { statementTimeoutMs: 10_000, max: 1 });
  try {
    // The hop's profile.ssh picks source "ssh": the facts come from the machine the tunnel ends on.
    const openSsh = hop ? () => cliHopHost(hop) : undefined;
    const facts = await readServerFacts({ profile: conn, db: pool, ...(backupDir ? { backupDirectory: backupDir } : {}), ...(openSsh ? { openSsh } : {}) });
    if (format === 'json') {
      process.stdout.write(terminalJson(hostFactsJson(facts)) + '\n');
      for (const [name, why] of Object.entries(facts.unknown)) process.stderr.write(`pgdba host: ${name} not known: ${terminalText(why)}\n`);
    } else process.stdout.write(terminalText(renderHostFactsText(facts), { lines: true }));
    return 0;
  } catch (e) {
    if (e instanceof HostFactsError) return fail(e.message);
    return fail(explainConnectError(e, conn, CLI_ADVICE));
  } finally {
    await pool.end().catch(() => undefined);
  }
}
