// Arguments of `pgdba lint`, checked into a typed request; every mistake is one line of words.
import type { Severity } from '../core/lint/finding';
import { CONF_FILE_TYPES, type ConfFileType } from '../core/lint/lintLanguages';
import type { Storage, Workload } from '../core/lint/hardware';

export const LINT_USAGE = `usage: pgdba lint FILE... [options]

Checks postgresql.conf, pg_hba.conf and pgbouncer.ini files. The type comes from --type, else the
name (postgresql*.conf, *.postgresql.conf, conf.d/*.conf, pg_hba*.conf, pgbouncer*.ini, …), else
the content of the first lines.
Files given together are checked together: pg_hba.conf lines open to the world feed the
listen_addresses rule, postgresql.conf's max_connections feeds pgbouncer.ini's pool arithmetic.

options:
  --ram SIZE           RAM of the server, e.g. 4GB, 512MB (a plain number is GB)
  --cpus N             CPU cores
  --storage KIND       ssd | hdd | san
  --workload KIND      web | oltp | dw | desktop | mixed
                       (any of these four turns on hardware recommendations; the others are
                       taken from this machine; workload defaults to mixed)
  --connections N      max_connections the server is sized for (also used for pgbouncer.ini
                       when no postgresql.conf is given)
  --pg-version N       PostgreSQL major version, 13-18 (default 16)
  --format FORMAT      text | json | sarif (default text)
  --fail-on LEVEL      error | warning | info (default warning)
  --type TYPE          conf | hba | pgbouncer, for a file neither name nor content tells

exit status: 0 nothing at or above --fail-on, 1 something is, 2 usage or I/O error
`;

export interface LintRequest {
  files: string[];
  ramBytes?: number;
  cpus?: number;
  storage?: Storage;
  workload?: Workload;
  connections?: number;
  pgVersion?: number;
  format: 'text' | 'json' | 'sarif';
  failOn: Severity;
  type?: ConfFileType;
  help: boolean;
}

export class UsageError extends Error {}

const OPTIONS = ['ram', 'cpus', 'storage', 'workload', 'connections', 'pg-version', 'format', 'fail-on', 'type'];

const ENUMS = {
  storage: ['ssd', 'hdd', 'san'],
  workload: ['web', 'oltp', 'dw', 'desktop', 'mixed'],
  format: ['text', 'json', 'sarif'],
  'fail-on': ['error', 'warning', 'info'],
} as const;

export function parseLintArgs(args: readonly string[]): LintRequest {
  const req: LintRequest = { files: [], format: 'text', failOn: 'warning', help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      req.files.push(...args.slice(i + 1)); // after --, every word is a file
      break;
    }
    if (arg === '--help' || arg === '-h') {
      req.help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '-') {
      req.files.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (!OPTIONS.includes(name)) throw new UsageError(`unknown option --${name}; run \`pgdba lint --help\``);
    const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    switch (name) {
      case 'ram':
        req.ramBytes = parseRam(value);
        break;
      case 'cpus':
        req.cpus = parseCount(name, value, 1, 4096);
        break;
      case 'connections':
        req.connections = parseCount(name, value, 1, 262143);
        break;
      case 'pg-version':
        req.pgVersion = parseCount(name, value, 13, 18);
        break;
      case 'storage':
        req.storage = oneOf(name, value, ENUMS.storage);
        break;
      case 'workload':
        req.workload = oneOf(name, value, ENUMS.workload);
        break;
      case 'format':
        req.format = oneOf(name, value, ENUMS.format);
        break;
      case 'fail-on':
        req.failOn = oneOf(name, value, ENUMS['fail-on']);
        break;
      case 'type':
        req.type = oneOf(name, value, CONF_FILE_TYPES);
        break;
      default:
        throw new UsageError(`unknown option --${name}; run \`pgdba lint --help\``);
    }
  }
  if (!req.help && req.files.length === 0) throw new UsageError('no file given; usage: pgdba lint FILE... (see `pgdba lint --help`)');
  return req;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const v = allowed.find((a) => a === value.toLowerCase());
  if (!v) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not "${value}"`);
  return v;
}

function parseCount(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, not "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, not ${n}`);
  return n;
}

const RAM_UNITS: Record<string, number> = {
  '': 2 ** 30,
  b: 1,
  kb: 2 ** 10,
  k: 2 ** 10,
  mb: 2 ** 20,
  m: 2 ** 20,
  gb: 2 ** 30,
  g: 2 ** 30,
  tb: 2 ** 40,
  t: 2 ** 40,
};

function parseRam(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(value.trim());
  const unit = RAM_UNITS[(m?.[2] ?? '').toLowerCase()];
  if (!m || unit === undefined) throw new UsageError(`--ram must be a size such as 4GB or 512MB, not "${value}"`);
  const bytes = Number(m[1]) * unit;
  if (bytes < 64 * 2 ** 20) throw new UsageError(`--ram ${value} is less than 64MB; did you mean ${value}GB?`);
  return bytes;
}
