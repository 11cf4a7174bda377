// Dispatches `pgdba <command>`; each command lives in its own file.
import { PGDBA_VERSION } from '../core/version';
import { terminalText } from '../core/terminalText';
import { lintCommand } from './lint';
import { explainCommand } from './explain';
import { backupCommand, restoreCommand, verifyCommand } from './backup';
import { backupsCommand, scheduleCommand } from './backupList';
import { healthCommand } from './health';
import { logsCommand } from './logs';
import { runInterruptible, type JobCommand } from './interrupt';

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
  logs PATH...       the server's log: slow statements, errors, logins, locks … (pgdba logs --help)
  version            print pgdba's version
  help               this text
`;

export type CliCommand = (args: string[]) => Promise<number>;

/** The long jobs: SIGTERM/SIGINT end them with their clean-up (interrupt.ts). */
const jobs: Record<string, JobCommand> = {
  backup: backupCommand,
  restore: restoreCommand,
  verify: verifyCommand,
};

const commands: Record<string, CliCommand> = {
  lint: lintCommand,
  explain: explainCommand,
  backups: backupsCommand,
  schedule: scheduleCommand,
  health: healthCommand,
  logs: logsCommand,
  version: () => {
    process.stdout.write(`pgdba ${PGDBA_VERSION}\n`);
    return Promise.resolve(0);
  },
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
  if (job) return runInterruptible(job, rest);
  const command = commands[name];
  if (!command) {
    process.stderr.write(`pgdba: unknown command "${terminalText(name)}"; run \`pgdba help\`\n`);
    return 2;
  }
  return command(rest);
}
