// `pgdba version`: pgdba's version, the Node it runs on, and the client tools this machine has —
// what a person asks first on a server the CLI was just installed on.
import { localHost } from '../core/host/localHost';
import { probeHostTools, type HostTool } from '../core/pgtools/hostTools';
import { PGDBA_VERSION } from '../core/version';
import { terminalJson, terminalText } from '../core/terminalText';
import { BackupUsageError, parseArgs } from './backupArgs';

const VERSION_USAGE = `usage: pgdba version [--format text|json] [--pg-bin-dir DIR]

pgdba's version, Node's, and the tools found on this machine's PATH (or in DIR): pg_dump,
pg_restore, pgbench, psql (their PostgreSQL major), zstd. \`pgdba doctor\` checks them against
the server's major and what the nightly backup needs.
exit status: 0, 2 usage error
`;

function toolLine(t: HostTool): string {
  return t.version !== undefined ? `${t.name.padEnd(10)} ${t.version.padEnd(8)} ${t.path ?? ''}` : `${t.name.padEnd(10)} not found (${t.problem ?? ''})`;
}

export async function versionCommand(args: string[]): Promise<number> {
  let format: string;
  let binDir: string | undefined;
  try {
    const p = parseArgs(args, ['format', 'pg-bin-dir'], []);
    if (p.flags.has('help')) return (process.stdout.write(VERSION_USAGE), 0);
    if (p.positional.length) throw new BackupUsageError(`unexpected argument "${p.positional[0]}"`);
    format = p.options.get('format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new BackupUsageError('--format must be text or json');
    binDir = p.options.get('pg-bin-dir');
  } catch (e) {
    process.stderr.write(`pgdba version: ${terminalText((e as Error).message)}\n`);
    return 2;
  }
  const tools = await probeHostTools(localHost, ['pg_dump', 'pg_restore', 'pgbench', 'psql', 'zstd'], binDir);
  if (format === 'json') {
    process.stdout.write(terminalJson({ pgdba: PGDBA_VERSION, node: process.versions.node, nodePath: process.execPath, tools }) + '\n');
    return 0;
  }
  const lines = [`pgdba ${PGDBA_VERSION}`, `node       ${process.versions.node.padEnd(8)} ${process.execPath}`, ...tools.map(toolLine)];
  process.stdout.write(terminalText(lines.join('\n') + '\n', { lines: true }));
  return 0;
}
