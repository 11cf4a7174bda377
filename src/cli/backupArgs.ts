// Arguments shared by the backup commands: a tiny option parser and the Drive credentials (files,
// never values); the connection is connection.ts's.
import type { DriveAuthOptions } from '../core/backup/driveClient';

export class BackupUsageError extends Error {}

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string>;
  flags: Set<string>;
}

/** `--name value` options and `--flag` switches; anything unknown is a usage error; after `--`, every word is positional (a file named "--x"). */
export function parseArgs(args: readonly string[], withValue: readonly string[], switches: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.positional.push(...args.slice(i + 1));
      break;
    }
    if (a === '-h' || a === '--help') {
      out.flags.add('help');
      continue;
    }
    if (!a.startsWith('--')) {
      out.positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (switches.includes(name)) {
      out.flags.add(name);
    } else if (withValue.includes(name)) {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new BackupUsageError(`--${name} needs a value`);
      out.options.set(name, v);
    } else {
      throw new BackupUsageError(`unknown option --${name}`);
    }
  }
  return out;
}

export function intOption(p: ParsedArgs, name: string, min = 1): number | undefined {
  const v = p.options.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new BackupUsageError(`--${name} must be a whole number ≥ ${min}`);
  return n;
}

/** Drive credentials: --google-credentials FILE or PGDBA_GOOGLE_CREDENTIALS; tests set a token and a root URL. */
export function driveAuthFrom(p: ParsedArgs, env: NodeJS.ProcessEnv = process.env): DriveAuthOptions {
  const a: DriveAuthOptions = {};
  const file = p.options.get('google-credentials') ?? env.PGDBA_GOOGLE_CREDENTIALS;
  if (file) a.credentialsFile = file;
  if (env.PGDBA_GOOGLE_ACCESS_TOKEN) a.accessToken = env.PGDBA_GOOGLE_ACCESS_TOKEN;
  if (env.PGDBA_DRIVE_ROOT_URL) a.rootUrl = env.PGDBA_DRIVE_ROOT_URL;
  return a;
}

export function defaultBackupDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PGDBA_BACKUP_DIR ?? '/var/backups/postgresql';
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
