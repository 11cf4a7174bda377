// `pgdba explain PLANFILE [--plan N] [--format text|json]` analyses a saved or pasted plan (JSON,
// psql's output, a server log with auto_explain's plans: planPaste.ts);
// `pgdba explain --url URL --sql "…" [--no-analyze] [--timeout MS]` runs one, with the safety
// rules of the extension. Exit 0: no insight at warning or above; 1: some; 2: usage or I/O error.
import { terminalText } from '../core/terminalText';
import { readFileSync } from 'node:fs';
import { parsePlan } from '../core/explain/parsePlan';
import { planInsights } from '../core/explain/insights';
import { planDocFromText } from '../core/explain/planDoc';
import { PlanParseError, type Plan } from '../core/explain/planTypes';
import { SEVERITY_RANK, type Insight } from '../core/explain/insightTypes';
import { runExplain } from '../core/explain/run';
import { DEFAULT_OPTIONS } from '../core/explain/explainOptions';
import { explainConnectError, isConnectFailure } from '../core/db/connectError';
import type { PgConnection } from '../core/db/connection';
import { createPool } from '../core/db/pool';
import { CLI_ADVICE, connectionFrom } from './connection';
import type { ParsedArgs } from './backupArgs';
import { hopFrom, SSH_USAGE } from './sshArgs';
import { formatPlanReport } from '../core/explain/planReport';

const EXPLAIN_USAGE = `usage: pgdba explain PLANFILE [--plan N] [--format text|json]
       pgdba explain --url postgres://… --sql "SELECT …" [--no-analyze] [--timeout MS] [--format text|json]

Analyses a plan (EXPLAIN (FORMAT JSON) output or the text psql prints, as pasted from psql,
pgAdmin or a server log) and prints where the time went and what to change. A log holding several
auto_explain plans: the first, or the Nth with --plan N. With --url/--sql it runs EXPLAIN (ANALYZE, BUFFERS, …) itself: a
statement that may write runs inside BEGIN … ROLLBACK; one that cannot be rolled back is refused.
--timeout MS (default 60000) bounds the whole run: the login gets at most 10 s of it, the statement
its statement_timeout, and a server that stops answering is given up 2 s after that.
${SSH_USAGE}Exit codes: 0 no insight at warning or above, 1 some, 2 usage or I/O error.
`;

interface Args {
  file?: string;
  /** Which plan of a log holding several, from 1. */
  plan?: number;
  url?: string;
  sql?: string;
  format: 'text' | 'json';
  analyze: boolean;
  timeoutMs: number;
  help: boolean;
  /** --ssh and its options, read by sshArgs.ts's hopFrom. */
  ssh: ParsedArgs;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const a: Args = { format: 'text', analyze: true, timeoutMs: 60_000, help: false, ssh: { positional: [], options: new Map(), flags: new Set() } };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--') {
      // After --, the plan file (a name that starts with - is a file, not an option).
      const rest = argv.slice(i + 1);
      if (rest.length > 1 || (rest.length === 1 && a.file)) throw new UsageError('give one plan file');
      if (rest[0] !== undefined) a.file = rest[0];
      break;
    }
    if (arg === '--help' || arg === '-h') a.help = true;
    else if (arg === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json') throw new UsageError(`--format must be text or json, not "${f}"`);
      a.format = f;
    } else if (arg === '--plan') {
      a.plan = Number(value());
      if (!Number.isInteger(a.plan) || a.plan < 1) throw new UsageError('--plan must be a plan number: 1, 2, …');
    } else if (arg === '--url') a.url = value();
    else if (arg === '--ssh' || arg === '--ssh-key' || arg === '--known-hosts') a.ssh.options.set(arg.slice(2), value());
    else if (arg === '--accept-new-host-key') a.ssh.flags.add('accept-new-host-key');
    else if (arg === '--sql') a.sql = value();
    else if (arg === '--no-analyze') a.analyze = false;
    else if (arg === '--timeout') {
      a.timeoutMs = Number(value());
      if (!Number.isInteger(a.timeoutMs) || a.timeoutMs <= 0) throw new UsageError('--timeout must be a positive number of milliseconds');
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (a.file) throw new UsageError('give one plan file');
    else a.file = arg;
  }
  if (!a.help && !a.file && !(a.url && a.sql)) throw new UsageError('give a plan file, or --url and --sql');
  if (a.file && (a.url || a.sql)) throw new UsageError('give a plan file or --url/--sql, not both');
  if (a.plan !== undefined && !a.file) throw new UsageError('--plan picks a plan of a plan file');
  return a;
}

/** One escaped line (it may hold a name from the file or the server), then pgdba's own text. */
const fail = (msg: string, after = ''): number => {
  process.stderr.write(`pgdba explain: ${terminalText(msg)}\n${after}`);
  return 2;
};

export async function explainCommand(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message, EXPLAIN_USAGE);
    throw e;
  }
  if (args.help) {
    process.stdout.write(EXPLAIN_USAGE);
    return 0;
  }
  let plan: Plan;
  const notices: string[] = [];
  if (args.file) {
    let text: string;
    try {
      text = readFileSync(args.file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return fail(`cannot read ${args.file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
    }
    try {
      // The one way a brought plan is read (Open Plan and Compare Plans too).
      const doc = planDocFromText(text, args.file, { plan: args.plan === undefined ? undefined : args.plan - 1 });
      plan = doc.plan;
      notices.push(...doc.notices);
    } catch (e) {
      if (e instanceof PlanParseError) return fail(e.message);
      throw e;
    }
  } else {
    let conn: PgConnection;
    try {
      conn = await connectionFrom(args.url, undefined, process.env, hopFrom(args.ssh));
    } catch (e) {
      if (e instanceof PlanParseError) return fail(e.message);
      throw e;
    }
    // The statement's own timeout is SET LOCAL by runExplain; the pool's is the same figure, and the
    // login's deadline is never longer than the run's.
    const pool = createPool(conn, { statementTimeoutMs: args.timeoutMs, connectTimeoutMs: Math.min(10_000, args.timeoutMs), max: 2 });
    try {
      const run = await runExplain(pool, args.sql!, { ...DEFAULT_OPTIONS, analyze: args.analyze, timeoutMs: args.timeoutMs });
      if (!run.ok) {
        const where = run.position !== undefined ? ` (at character ${run.position + 1}: "${args.sql!.slice(run.position, run.position + 20)}")` : '';
        return fail(`${run.message}${where}`);
      }
      notices.push(...run.notices);
      plan = parsePlan(run.planJson);
    } catch (e) {
      return fail(isConnectFailure(e) ? explainConnectError(e, conn, CLI_ADVICE) : `cannot run on the server: ${(e as Error).message}`);
    } finally {
      await pool.end().catch(() => undefined);
    }
  }
  const insights = planInsights(plan);
  process.stdout.write(formatPlanReport(plan, insights, args.format, notices));
  return insights.some((i: Insight) => SEVERITY_RANK[i.severity] >= SEVERITY_RANK.warning) ? 1 : 0;
}
