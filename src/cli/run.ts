// Dispatches `pgdba <command>`; each command lives in its own file.
import { lintCommand } from './lint';
import { explainCommand } from './explain';

const USAGE = `usage: pgdba <command> [options]

commands:
  lint FILE...       check postgresql.conf, pg_hba.conf, pgbouncer.ini (pgdba lint --help)
  explain PLANFILE   where a plan's time went and what to change (pgdba explain --help)
  version            print pgdba's version
  help               this text
`;

export type CliCommand = (args: string[]) => Promise<number>;

const commands: Record<string, CliCommand> = {
  lint: lintCommand,
  explain: explainCommand,
  version: () => {
    process.stdout.write('pgdba 0.1.0\n');
    return Promise.resolve(0);
  },
  help: () => {
    process.stdout.write(USAGE);
    return Promise.resolve(0);
  },
};

/** Commands register themselves here (lint, explain, backup, health …). */
export function registerCliCommand(name: string, command: CliCommand): void {
  commands[name] = command;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`pgdba: unknown command "${name}"; run \`pgdba help\`\n`);
    return 2;
  }
  return command(rest);
}
