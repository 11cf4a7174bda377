// One server's health report: reads the version, the role's privileges and pg_stat_statements'
// state once, then runs the checks of the schedules asked for, in the seed's order. A check that
// cannot read its figures gives an info finding; only an unreachable server throws.
import { readableIdent } from '../db/sqlIdent';
import type pg from 'pg';
import { readServerVersion } from '../db/serverInfo';
import { accessLimitations, readAccess } from '../stats/access';
import { settle } from '../stats/errors';
import { serverOverview } from '../stats/server';
import { statementsStatus } from '../stats/statements';
import { resolveThresholds, type PartialThresholds } from '../stats/thresholds';
import { backupCheck } from './backupCheck';
import { localHost } from '../host/localHost';
import { hostSourceFor, readServerFacts, type HostFacts } from '../host/facts';
import type { HostAccess } from '../host/hostAccess';
import type { HardwareHints, HealthContext } from './context';
import { autovacuum, cacheHit, checkpointFrequency, connections, slowQueries } from './daily';
import { summarize } from './levels';
import { capacity, indexOptimisation } from './monthly';
import { queryPlans } from './plans';
import { SCHEDULES, type CheckId, type Finding, type HealthReport, type Schedule, type ServerInfo } from './types';
import { bloat, growth, indexUsageCheck } from './weekly';
import { foreignKeyIndexesCheck, invalidIndexesCheck, redundantIndexesCheck } from './indexes';
import { sequencesCheck } from './sequences';
import { sessionsCheck } from './sessions';
import { replicationCheck } from './replication';
import { securityCheck } from './security';
import { invalidConstraintsCheck, primaryKeysCheck, tableStatisticsCheck, vacuumScaleCheck } from './tables';
import { wraparound } from './wraparound';
import { indexAdvice, indexAdviceCheck } from './indexAdvice';
import type { AdvisorReport } from '../advisor/types';
import { pgbouncerCheck, type BouncerHealthOptions } from './pgbouncer';
import { slowLogCheck, type LogAccess } from './slowLog';
import type { SlowLogMemory } from './slowLogMemory';

export interface HealthOptions {
  server: Pick<ServerInfo, 'name' | 'target'>;
  pool: pg.Pool;
  /** The host connected to: with `ssh`, it picks where the host facts come from (hostSourceFor). */
  host: string;
  /** The profile's SSH hop, and how to open it (src/core/ssh/): the host facts are read through it. */
  ssh?: string;
  openSsh?: (profile: { host: string; ssh?: string }) => Promise<HostAccess>;
  thresholds?: PartialThresholds;
  hardware?: HardwareHints;
  backupDir?: string;
  schedules?: readonly Schedule[];
  /** Top statements explained by the plan check (default 5). */
  planLimit?: number;
  explainTimeoutMs?: number;
  now?: Date;
  signal?: AbortSignal;
  /** The PgBouncer in front of the server: its console is sampled for the PgBouncer section (daily). */
  bouncer?: BouncerHealthOptions;
  /** The slow query log kept from this server's earlier report (the extension's, per profile): only what the log gained is read. */
  slowLog?: SlowLogMemory;
  /** Called before each check: progress for a person. */
  onCheck?: (label: string) => void;
}

/** The host's RAM and CPUs where the settings say nothing: the settings still override. */
export function withHostFacts(hints: HardwareHints, host: HostFacts | { error: string }): HardwareHints {
  const out: HardwareHints = { ...hints };
  if ('error' in host) return out;
  if (out.ramGB === undefined && host.ramBytes !== null) {
    out.ramGB = Math.round((host.ramBytes / 2 ** 30) * 10) / 10;
    out.ramFrom = `host facts, ${host.host}`;
  }
  if (out.cpus === undefined && host.cpus !== null) out.cpus = host.cpus;
  return out;
}

/** The checks of #15 a tree branch shows on their own (Statistics → Health checks, and the Alerts branch). */
export const DEPTH_CHECKS = {
  wraparound,
  sequences: sequencesCheck,
  'invalid-indexes': invalidIndexesCheck,
  'redundant-indexes': redundantIndexesCheck,
  'fk-indexes': foreignKeyIndexesCheck,
  'invalid-constraints': invalidConstraintsCheck,
  'primary-keys': primaryKeysCheck,
  sessions: sessionsCheck,
  replication: replicationCheck,
  security: securityCheck,
  'index-advice': indexAdviceCheck,
} as const satisfies Partial<Record<CheckId, (ctx: HealthContext) => Promise<Finding[]>>>;
export type DepthCheckId = keyof typeof DEPTH_CHECKS;

/** The checks the tree's Alerts branch and badge count, read in the background: all but the index advice, whose EXPLAINs are read on expand only. */
export const ALERT_CHECKS: readonly DepthCheckId[] = (Object.keys(DEPTH_CHECKS) as DepthCheckId[]).filter((c) => c !== 'index-advice');

export interface ChecksOptions {
  pool: pg.Pool;
  checks: readonly DepthCheckId[];
  thresholds?: PartialThresholds;
  now?: Date;
}

/** Some of #15's checks alone, in the order asked: the same findings as in the report. */
export async function runChecks(o: ChecksOptions): Promise<Finding[]> {
  const { ctx } = await healthContext({ ...o, host: '' }, false);
  const out: Finding[] = [];
  for (const id of o.checks) out.push(...(await DEPTH_CHECKS[id](ctx)));
  return out;
}

/** readHost: the host facts too (the whole report); the tree's checks need none of them. */
async function healthContext(
  o: Omit<HealthOptions, 'server'>,
  readHost = true,
): Promise<{ ctx: HealthContext; version: { text: string; num: number }; problems: string[] }> {
  const version = await readServerVersion(o.pool); // an unreachable server fails here
  const v = { versionNum: version.num };
  const overview = await serverOverview(o.pool, v);
  if (!overview) throw new Error('the server overview returned no row');
  const { thresholds: t, problems } = resolveThresholds(o.thresholds);
  const statements = await settle(statementsStatus(o.pool, v));
  const host: HostFacts | { error: string } | undefined = readHost
    ? await readServerFacts({
        profile: { host: o.host, ...(o.ssh ? { ssh: o.ssh } : {}) },
        db: o.pool,
        ...(o.backupDir ? { backupDirectory: o.backupDir } : {}),
        ...(o.openSsh ? { openSsh: o.openSsh } : {}),
      }).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }))
    : undefined;
  const ctx: HealthContext = {
    pool: o.pool,
    v,
    t,
    overview,
    ...(statements.ok ? { statements: statements.value } : {}),
    hardware: host ? withHostFacts(o.hardware ?? {}, host) : (o.hardware ?? {}),
    ...(host ? { host } : {}),
    ...(o.backupDir ? { backupDir: o.backupDir } : {}),
    planLimit: o.planLimit ?? 5,
    explainTimeoutMs: o.explainTimeoutMs ?? 10_000,
    now: o.now ?? new Date(),
    ...(o.signal ? { signal: o.signal } : {}),
  };
  return { ctx, version, problems };
}

/** Where the slow query log is read: the server's machine as the host facts are (hostSourceFor), else SQL. */
async function openLogAccess(o: HealthOptions): Promise<LogAccess> {
  const profile = { host: o.host, ...(o.ssh ? { ssh: o.ssh } : {}) };
  const source = hostSourceFor(profile);
  if (source === 'local') return { kind: 'host', host: localHost };
  if (source === 'sql') return { kind: 'sql' };
  if (!o.openSsh) return { kind: 'none', why: `The SSH hop ${o.ssh} cannot be opened here.` };
  try {
    return { kind: 'host', host: await o.openSsh(profile) };
  } catch (e) {
    return { kind: 'none', why: `The SSH hop ${o.ssh} could not be opened: ${e instanceof Error ? e.message : String(e)}.` };
  }
}

export async function runHealthCheck(o: HealthOptions): Promise<HealthReport> {
  const { ctx, version, problems } = await healthContext(o);
  const { overview } = ctx;
  const v = ctx.v;
  // systemd's timer of the nightly job is read where the server runs: this machine, or the SSH hop's.
  const machine = { host: o.host, ...(o.ssh ? { ssh: o.ssh } : {}) };
  const source = hostSourceFor(machine);
  const openSsh = o.openSsh;
  const nightlyHost = source === 'local' ? () => Promise.resolve(localHost) : source === 'ssh' && openSsh ? () => openSsh(machine) : undefined;
  const schedules = SCHEDULES.filter((s) => (o.schedules ?? SCHEDULES).includes(s));
  const findings: Finding[] = [];
  const step = async (label: string, run: () => Promise<Finding[]>) => {
    if (o.signal?.aborted) throw new Error('cancelled');
    o.onCheck?.(label);
    findings.push(...(await run()));
  };

  for (const p of problems)
    findings.push({ check: 'access', schedule: schedules[0] ?? 'daily', level: 'info', subject: 'pgdba.alerts.thresholds', observed: 'ignored', why: p });
  const access = await settle(readAccess(o.pool, v));
  if (access.ok && access.value && !access.value.isSuperuser) {
    const limits = accessLimitations(access.value).filter((l) => /pg_read_all_stats|pg_read_all_settings/.test(l));
    if (limits.length)
      findings.push({
        check: 'access',
        schedule: schedules[0] ?? 'daily',
        level: 'info',
        subject: access.value.role,
        observed: 'not a superuser',
        why: limits.join(' '),
        fix: { kind: 'sql', text: `GRANT pg_monitor TO ${readableIdent(access.value.role)};  -- pg_read_all_stats and pg_read_all_settings in one role` },
      });
  }

  if (schedules.includes('daily')) {
    await step('slow query log', async () => {
      const access = await openLogAccess(o);
      try {
        return await slowLogCheck(ctx, access, o.slowLog);
      } finally {
        if (access.kind === 'host') access.host.release();
      }
    });
    await step('slow queries', () => slowQueries(ctx));
    await step('cache hit ratios', () => cacheHit(ctx));
    await step('connections', () => connections(ctx));
    await step('autovacuum activity', () => autovacuum(ctx));
    await step('checkpoints', () => checkpointFrequency(ctx));
    await step('sessions', () => sessionsCheck(ctx));
    await step('replication', () => replicationCheck(ctx));
    await step('wraparound', () => wraparound(ctx));
    const bouncer = o.bouncer;
    if (bouncer) await step('PgBouncer', () => pgbouncerCheck(ctx, bouncer));
  }
  if (schedules.includes('weekly')) {
    await step('table bloat', () => bloat(ctx));
    await step('index usage', () => indexUsageCheck(ctx));
    await step('invalid indexes', () => invalidIndexesCheck(ctx));
    await step('duplicate and redundant indexes', () => redundantIndexesCheck(ctx));
    await step('foreign keys without an index', () => foreignKeyIndexesCheck(ctx));
    await step('tables without a primary key', () => primaryKeysCheck(ctx));
    await step('constraints not validated', () => invalidConstraintsCheck(ctx));
    await step('table statistics', () => tableStatisticsCheck(ctx));
    await step('autovacuum scale factor of large tables', () => vacuumScaleCheck(ctx));
    await step('database growth', () => growth(ctx));
    await step('sequences', () => sequencesCheck(ctx));
    await step('backups', () => backupCheck(ctx.backupDir, overview.currentDatabase, ctx.now, nightlyHost));
  }
  if (schedules.includes('monthly')) {
    // The advisor first: its indexes are the ones the plans and the sequential scans offer; its
    // findings go after theirs, which point to them ("Index advice below").
    let advice: AdvisorReport | undefined;
    let adviceFindings: Finding[] = [];
    await step('index advice', async () => {
      const r = await indexAdvice(ctx);
      advice = r.report;
      adviceFindings = r.findings;
      return [];
    });
    await step('query plans', () => queryPlans(ctx, advice));
    await step('index optimisation', () => indexOptimisation(ctx, advice));
    findings.push(...adviceFindings);
    await step('capacity', () => capacity(ctx));
    await step('security posture', () => securityCheck(ctx));
  }
  return {
    server: { ...o.server, version: version.text, versionNum: version.num },
    generatedAt: ctx.now.toISOString(),
    schedules,
    findings,
    summary: summarize(findings),
  };
}
