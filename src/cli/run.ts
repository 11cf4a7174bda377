// Dispatches `pgdba <command>`; each command lives in its own file.
import { terminalText } from '../core/terminalText';
import { lintCommand } from './lint';
import { explainCommand } from './explain';
import { backupCommand, restoreCommand, verifyCommand } from './backup';
import { backupsCommand, scheduleCommand } from './backupList';
import { healthCommand } from './health';
import { hostCommand } from './host';
import { adviseCommand } from './advise';
import { bouncerCommand } from './bouncer';
import { logsCommand } from './logs';
import { versionCommand } from './version';
import { doctorCommand } from './doctor';
import { runInterruptible, type JobCommand } from './interrupt';
import { closeCliHops } from './sshArgs';

const USAGE = `usage: pgdba <command> [options]

commands:
  lint FILE...       check postgresql.conf, pg_hba.conf, pgbouncer.ini (pgdba lint --help)
  explain PLANFILE   where a plan's time went and what to change (pgdba explain --help)
  backup --db NAME   pg_dump to a verified, compressed, atomic file (pgdba backup --help)
  restore FILE       restore a backup into a new database (pgdba restore --help)
  backups            list local and Drive backups (pgdba backups --help)
  verify FILE        check that a backup restores (pgdba verify --help)
  schedule           write the nightly systemd service and timer (pgdba schedule --help)
  health --url URL   the seed's daily, weekly and monthly checks as a report (pgdba health --help)
  host --url URL     the server machine's CPUs, RAM, disks, OS and uptime (pgdba host --help)
  advise --url URL   indexes for the top statements, proved with HypoPG (pgdba advise --help)
  bouncer --url URL  a PgBouncer's pools, stats and findings from its console (pgdba bouncer --help)
  logs PATH...       the server's log: slow statements, errors, logins, locks … (pgdba logs --help)
  doctor             what the nightly backup needs, checked on the server's machine (pgdba doctor --help)
  mcp --url URL      the tools for agents as an MCP server over stdio (pgdba mcp --help)
  version            pgdba's version, Node's, and the tools found (pgdba version --help)
  help               this text

A file whose name starts with "-" goes after "--": pgdba logs --since 24h -- ./-odd.log
`;

export type CliCommand = (args: string[]) => Promise<number>;

/** The long jobs: SIGTERM/SIGINT end them with their clean-up (interrupt.ts). */
const jobs: Record<string, JobCommand> = {
  backup: backupCommand,
  restore: restoreCommand,
  verify: verifyCommand,
  // A server for an agent: SIGTERM ends it with its connections closed. The MCP SDK and zod are
  // loaded only for it, not by every other command's start.
  mcp: (args, signal) => import('./mcp').then((m) => m.mcpCommand(args, signal)),
};

const commands: Record<string, CliCommand> = {
  lint: lintCommand,
  explain: explainCommand,
  backups: backupsCommand,
  schedule: scheduleCommand,
  health: healthCommand,
  host: hostCommand,
  advise: adviseCommand,
  bouncer: bouncerCommand,
  logs: logsCommand,
  doctor: doctorCommand,
  version: versionCommand,
  help: () => {
    process.stdout.write(USAGE);
    return Promise.resolve(0);
  },
};

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const job = jobs[name];
  const command = commands[name];
  if (!job && !command) {
    process.stderr.write(`pgdba: unknown command "${terminalText(name)}"; run \`pgdba help\`\n`);
    return 2;
  }
  try {
    return await (job ? runInterruptible(job, rest) : command!(rest));
  } finally {
    closeCliHops(); // an open SSH session would keep the process alive
  }
}
