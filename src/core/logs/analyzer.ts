// Entries to the report: each message PostgreSQL writes for a condition is read once, by the
// collector of that report. Maps keyed by process (its client address, its last statement, its
// running checkpoint) are bounded: a log of millions of sessions holds at most MAX_PIDS of them.
import { DEFAULT_THRESHOLDS, type Thresholds } from '../stats/thresholds';
import type { Fingerprinter } from './fingerprint';
import { messagePattern } from './messagePattern';
import type {
  AuthFailures,
  AutovacuumRow,
  BouncerReport,
  CheckpointRow,
  ConnectionsReport,
  ErrorGroup,
  HourBucket,
  LockRow,
  LogFinding,
  LogReport,
  LogSummary,
  MinuteBucket,
  SessionStats,
  SourceRead,
} from './report';
import { StatementStats, round } from './statementStats';
import type { BouncerLine } from './pgbouncer';
import type { LogEntry } from './types';
import { findingsOf } from './findings';
import { LoggedPlans } from './autoExplain';

const MAX_PIDS = 50_000;
const MAX_ROWS = 5_000;
const MAX_ERROR_GROUPS = 5_000;
const MAX_ADDRESSES = 10_000;
/** Minutes kept for the panel's chart of a short range: two weeks (≈ 2 MB); the oldest go first. */
const MAX_MINUTES = 14 * 1440;

const DURATION = /^duration: (\d+(?:\.\d+)?) ms(?: {2}(statement|execute [^:]{0,200}|fastpath function call|parse [^:]{0,200}|bind [^:]{0,200}|plan): ?)?/;
const STATEMENT = /^(?:statement|execute [^:]{0,200}): /;
const PARAMETERS = /^parameters: /i;
const RECEIVED = /^connection received: host=([^\s]+)/;
const AUTHORIZED = /^connection authorized: user=([^\s]+)(?: database=([^\s]+))?/;
const DISCONNECTION = /^disconnection: session time: (\d+):(\d\d):(\d\d(?:\.\d+)?) user=([^\s]*) database=([^\s]*) host=([^\s]*)/;
const CKPT_START = /^(checkpoint|restartpoint) starting: ?(.*)$/;
const CKPT_DONE =
  /^(checkpoint|restartpoint) complete: wrote (\d+) buffers[\s\S]*?write=([\d.]+) s, sync=([\d.]+) s, total=([\d.]+) s(?:[\s\S]*?distance=(\d+) kB, estimate=(\d+) kB)?/;
const CKPT_FREQUENT = /^checkpoints are occurring too frequently/;
const VACUUM = /^automatic (aggressive )?vacuum (to prevent wraparound )?of table "([^"]{1,500})"/;
const ANALYZE = /^automatic analyze of table "([^"]{1,500})"/;
const ELAPSED = /elapsed: ([\d.]+) s/;
const PAGES = /pages: (\d+) removed/;
const TUPLES = /tuples: (\d+) removed/;
const TEMP = /^temporary file: path "[^"]*", size (\d+)/;
const LOCK = /^process (\d+) (still waiting for|acquired|detected deadlock while waiting for|avoided deadlock for) ([^\s]+) on (.{1,500}?) after ([\d.]+) ms/;
const HOLDERS = /^Process(?:es)? holding the lock: ([\d, ]+)\./;
const DEADLOCK_PROCESS = /^\s*Process (\d+): (.*)$/gm;
const TOO_MANY = /^(sorry, too many clients already|remaining connection slots are reserved|too many connections for (?:role|database))/;
const AUTH: [RegExp, string][] = [
  [/^password authentication failed for user "(.*)"/, 'password authentication failed'],
  [/^(\w+) authentication failed for user "(.*)"/, 'authentication failed'],
  [/^no pg_hba\.conf entry for (?:replication connection from )?host "[^"]*", user "([^"]*)"/, 'no pg_hba.conf entry'],
  [/^pg_hba\.conf rejects (?:replication )?connection for host "[^"]*", user "([^"]*)"/, 'rejected by pg_hba.conf'],
  [/^role "(.*)" does not exist/, 'role does not exist'],
  [/^database "(.*)" does not exist/, 'database does not exist'],
];

const iso = (t?: number) => (t === undefined ? undefined : new Date(t).toISOString());
const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

function boundedSet<K, V>(m: Map<K, V>, k: K, v: V): void {
  if (!m.has(k) && m.size >= MAX_PIDS) m.delete(m.keys().next().value as K);
  m.set(k, v);
}

function sessionAdd(map: Record<string, SessionStats>, key: string, ms: number): void {
  const s = (map[key] ??= { count: 0, totalMs: 0, maxMs: 0 });
  s.count++;
  s.totalMs += ms;
  if (ms > s.maxMs) s.maxMs = ms;
}

export interface AnalyzeOptions {
  since?: number;
  until?: number;
  thresholds?: Thresholds;
  /** Rows kept of each list in the report (statements, errors …). */
  top?: number;
}

export class LogAnalyzer {
  private readonly stats: StatementStats;
  private readonly summary: LogSummary = {
    entries: 0,
    statements: 0,
    errors: 0,
    fatals: 0,
    connections: 0,
    disconnections: 0,
    checkpoints: 0,
    autovacuums: 0,
    autoanalyzes: 0,
    tempFiles: 0,
    lockWaits: 0,
    deadlocks: 0,
    panics: 0,
    warnings: 0,
    checkpointWarnings: 0,
    statementGroups: 0,
  };
  private first?: number;
  private last?: number;
  private readonly errors = new Map<string, ErrorGroup>();
  private readonly conn: ConnectionsReport = {
    received: 0,
    authorized: 0,
    disconnections: 0,
    byUser: {},
    byDatabase: {},
    byHost: {},
    sessions: { count: 0, totalMs: 0, maxMs: 0, meanMs: 0, byUser: {}, byDatabase: {}, byHost: {} },
    authFailures: [],
    tooManyClients: { count: 0, messages: {} },
  };
  private readonly auth = new Map<string, AuthFailures>();
  private readonly checkpoints: CheckpointRow[] = [];
  private readonly runningCheckpoint = new Map<number, CheckpointRow>();
  private readonly vacuum = new Map<string, AutovacuumRow>();
  private readonly locks: LockRow[] = [];
  private readonly hours = new Map<number, HourBucket>();
  private readonly minutes = new Map<number, MinuteBucket>();
  private readonly plans = new LoggedPlans();
  private readonly hostByPid = new Map<number, string>();
  private readonly deadlockWait = new Map<number, { lockType: string; object: string; waitedMs: number }>();
  private readonly lastQueryByPid = new Map<number, string>();
  /** log_statement's "statement: …" waiting for its "duration: …" line (log_duration). */
  private readonly pendingStatement = new Map<number, string>();
  private bouncer?: BouncerReport;
  private readonly bouncerAuth = new Map<string, AuthFailures>();
  private readonly bouncerErrors = new Map<string, BouncerReport['poolErrors'][number]>();
  private readonly options: AnalyzeOptions;

  constructor(fp: Fingerprinter, options: AnalyzeOptions = {}) {
    this.stats = new StatementStats(fp);
    this.options = options;
  }

  private inWindow(t: number | undefined): boolean {
    if (t === undefined) return true;
    if (this.options.since !== undefined && t < this.options.since) return false;
    if (this.options.until !== undefined && t >= this.options.until) return false;
    return true;
  }

  private hour(t: number | undefined): HourBucket | undefined {
    if (t === undefined) return undefined;
    const h = Math.floor(t / 3_600_000);
    let b = this.hours.get(h);
    if (!b) {
      b = { hour: new Date(h * 3_600_000).toISOString(), statements: 0, errors: 0, connections: 0, disconnections: 0 };
      this.hours.set(h, b);
    }
    return b;
  }

  /** One more of `what` in its hour and its minute. */
  private tally(t: number | undefined, what: 'statements' | 'errors' | 'connections' | 'disconnections'): void {
    const h = this.hour(t);
    if (!h) return;
    h[what]++;
    const m = Math.floor(t! / 60_000);
    let b = this.minutes.get(m);
    if (!b) {
      // The log is read in time order: the first minute in is the oldest.
      if (this.minutes.size >= MAX_MINUTES) this.minutes.delete(this.minutes.keys().next().value!);
      b = { minute: new Date(m * 60_000).toISOString(), statements: 0, errors: 0, connections: 0, disconnections: 0 };
      this.minutes.set(m, b);
    }
    b[what]++;
  }

  private seen(t: number | undefined): void {
    if (t === undefined) return;
    if (this.first === undefined || t < this.first) this.first = t;
    if (this.last === undefined || t > this.last) this.last = t;
  }

  add(e: LogEntry): void {
    if (!this.inWindow(e.time)) return;
    this.summary.entries++;
    this.seen(e.time);
    const msg = e.message;
    const pid = e.pid;
    if (pid !== undefined && e.statement !== undefined) boundedSet(this.lastQueryByPid, pid, e.statement);
    switch (e.level) {
      case 'ERROR':
        this.summary.errors++;
        this.error(e);
        if (msg === 'deadlock detected') this.deadlock(e);
        return;
      case 'FATAL':
        this.summary.fatals++;
        this.error(e);
        this.fatal(e);
        return;
      case 'PANIC':
        this.summary.panics++;
        this.summary.fatals++;
        this.error(e);
        return;
      case 'WARNING':
        this.summary.warnings++;
        return;
      case 'LOG':
        break;
      default:
        return;
    }
    const c0 = msg.charCodeAt(0);
    if (c0 === 100 /* d */) {
      const d = DURATION.exec(msg);
      if (d) return this.duration(e, d);
      const x = DISCONNECTION.exec(msg);
      if (x) return this.disconnection(e, x);
    } else if (c0 === 99 /* c */) {
      if (msg.startsWith('connection received: ')) {
        const r = RECEIVED.exec(msg);
        this.conn.received++;
        if (r && pid !== undefined) boundedSet(this.hostByPid, pid, r[1]!);
        return;
      }
      if (msg.startsWith('connection authorized: ')) {
        const a = AUTHORIZED.exec(msg);
        if (a) this.authorized(e, a);
        return;
      }
      const s = CKPT_START.exec(msg);
      if (s) return this.checkpointStart(e, s);
      const done = CKPT_DONE.exec(msg);
      if (done) return this.checkpointDone(e, done);
      if (CKPT_FREQUENT.test(msg)) {
        this.summary.checkpointWarnings++;
        return;
      }
    } else if (c0 === 114 /* r */) {
      const s = CKPT_START.exec(msg);
      if (s) return this.checkpointStart(e, s);
      const done = CKPT_DONE.exec(msg);
      if (done) return this.checkpointDone(e, done);
    } else if (c0 === 97 /* a */) {
      const v = VACUUM.exec(msg);
      if (v) return this.autovacuum(v[3]!, msg, 'vacuum', v[2] !== undefined);
      const a = ANALYZE.exec(msg);
      if (a) return this.autovacuum(a[1]!, msg, 'analyze', false);
    } else if (c0 === 116 /* t */) {
      const t = TEMP.exec(msg);
      if (t) {
        this.summary.tempFiles++;
        this.stats.addTempFile(e, Number(t[1]));
        return;
      }
    } else if (c0 === 112 /* p */) {
      const l = LOCK.exec(msg);
      if (l) return this.lock(e, l);
    }
    if (pid !== undefined && STATEMENT.test(msg)) {
      const text = msg.slice(msg.indexOf(': ') + 2);
      boundedSet(this.pendingStatement, pid, text);
      boundedSet(this.lastQueryByPid, pid, text);
    }
  }

  private duration(e: LogEntry, d: RegExpExecArray): void {
    const ms = Number(d[1]);
    const kind = d[2];
    let text: string | undefined;
    if (kind === undefined) {
      // log_duration: the text came before, in the process's "statement: …" line.
      if (e.pid === undefined) return;
      text = this.pendingStatement.get(e.pid);
      if (text === undefined) return;
      this.pendingStatement.delete(e.pid);
    } else if (kind === 'plan') return this.plans.add(e, ms, e.message.slice(d[0].length));
    else if (kind.startsWith('parse ') || kind.startsWith('bind ')) return;
    else text = e.message.slice(d[0].length);
    // "parameters: …" up to 17, "Parameters: …" from 18.
    const params = e.detail !== undefined && PARAMETERS.test(e.detail) ? e.detail.slice(12) : undefined;
    this.summary.statements++;
    this.tally(e.time, 'statements');
    if (e.pid !== undefined) boundedSet(this.lastQueryByPid, e.pid, text);
    this.stats.add(e, ms, text, params);
  }

  private authorized(e: LogEntry, a: RegExpExecArray): void {
    this.summary.connections++;
    this.conn.authorized++;
    bump(this.conn.byUser, a[1]!);
    bump(this.conn.byDatabase, a[2] ?? e.database ?? 'unknown');
    const host = e.host ?? (e.pid !== undefined ? this.hostByPid.get(e.pid) : undefined) ?? 'unknown';
    bump(this.conn.byHost, host);
    this.tally(e.time, 'connections');
  }

  private disconnection(e: LogEntry, x: RegExpExecArray): void {
    this.summary.disconnections++;
    this.conn.disconnections++;
    const ms = (Number(x[1]) * 3600 + Number(x[2]) * 60 + Number(x[3])) * 1000;
    const s = this.conn.sessions;
    s.count++;
    s.totalMs += ms;
    if (ms > s.maxMs) s.maxMs = ms;
    sessionAdd(s.byUser, x[4]!, ms);
    sessionAdd(s.byDatabase, x[5]!, ms);
    sessionAdd(s.byHost, x[6]!, ms);
    this.tally(e.time, 'disconnections');
    if (e.pid !== undefined) {
      this.hostByPid.delete(e.pid);
      this.lastQueryByPid.delete(e.pid);
      this.pendingStatement.delete(e.pid);
    }
  }

  private error(e: LogEntry): void {
    this.tally(e.time, 'errors');
    const pattern = messagePattern(e.message);
    const key = `${e.level}\0${e.sqlstate ?? ''}\0${pattern}`;
    const g = this.errors.get(key);
    if (g) {
      g.count++;
      return;
    }
    if (this.errors.size >= MAX_ERROR_GROUPS) return;
    const host = e.host ?? (e.pid !== undefined ? this.hostByPid.get(e.pid) : undefined);
    this.errors.set(key, {
      level: e.level,
      ...(e.sqlstate ? { sqlstate: e.sqlstate } : {}),
      pattern,
      count: 1,
      sample: {
        file: e.file,
        line: e.line,
        ...(e.time !== undefined ? { time: iso(e.time) } : {}),
        message: e.message,
        ...(e.detail !== undefined ? { detail: e.detail } : {}),
        ...(e.hint !== undefined ? { hint: e.hint } : {}),
        ...(e.statement !== undefined ? { statement: e.statement } : {}),
        ...(e.user !== undefined ? { user: e.user } : {}),
        ...(e.database !== undefined ? { database: e.database } : {}),
        ...(host !== undefined ? { host } : {}),
      },
    });
  }

  private fatal(e: LogEntry): void {
    const msg = e.message;
    const t = TOO_MANY.exec(msg);
    if (t) {
      const tm = this.conn.tooManyClients;
      tm.count++;
      bump(tm.messages, t[1]!);
      tm.first ??= iso(e.time);
      if (e.time !== undefined) tm.last = iso(e.time);
      return;
    }
    for (const [re, reason] of AUTH) {
      const m = re.exec(msg);
      if (!m) continue;
      const address = e.host ?? (e.pid !== undefined ? this.hostByPid.get(e.pid) : undefined) ?? 'unknown';
      const user = e.user ?? m[m.length - 1] ?? 'unknown';
      noteAuth(this.auth, address, user, reason === 'authentication failed' ? `${m[1]} authentication failed` : reason, e.time);
      return;
    }
  }

  private checkpointStart(e: LogEntry, s: RegExpExecArray): void {
    this.summary.checkpoints++;
    const flags = s[2]!.trim();
    const row: CheckpointRow = {
      file: e.file,
      line: e.line,
      ...(e.time !== undefined ? { time: iso(e.time) } : {}),
      kind: s[1] as CheckpointRow['kind'],
      trigger: /\btime\b/.test(flags) ? 'timed' : 'requested',
      flags,
    };
    if (this.checkpoints.length < MAX_ROWS) this.checkpoints.push(row);
    boundedSet(this.runningCheckpoint, e.pid ?? -1, row);
  }

  private checkpointDone(e: LogEntry, d: RegExpExecArray): void {
    const row = this.runningCheckpoint.get(e.pid ?? -1);
    if (!row) return;
    this.runningCheckpoint.delete(e.pid ?? -1);
    row.buffers = Number(d[2]);
    row.writeS = Number(d[3]);
    row.syncS = Number(d[4]);
    row.totalS = Number(d[5]);
    if (d[6] !== undefined) row.distanceKb = Number(d[6]);
    if (d[7] !== undefined) row.estimateKb = Number(d[7]);
  }

  private autovacuum(table: string, msg: string, what: 'vacuum' | 'analyze', wraparound: boolean): void {
    if (what === 'vacuum') this.summary.autovacuums++;
    else this.summary.autoanalyzes++;
    let row = this.vacuum.get(table);
    if (!row) {
      if (this.vacuum.size >= MAX_ROWS) return;
      row = { table, vacuums: 0, analyzes: 0, wraparound: 0, totalS: 0, maxS: 0, pagesRemoved: 0, tuplesRemoved: 0 };
      this.vacuum.set(table, row);
    }
    const elapsed = Number(ELAPSED.exec(msg)?.[1] ?? 0);
    row.totalS = round(row.totalS + elapsed);
    if (elapsed > row.maxS) row.maxS = elapsed;
    if (what === 'analyze') {
      row.analyzes++;
      return;
    }
    row.vacuums++;
    if (wraparound) row.wraparound++;
    row.pagesRemoved += Number(PAGES.exec(msg)?.[1] ?? 0);
    row.tuplesRemoved += Number(TUPLES.exec(msg)?.[1] ?? 0);
  }

  private lock(e: LogEntry, l: RegExpExecArray): void {
    const verb = l[2]!;
    const kind: LockRow['kind'] = verb === 'acquired' ? 'acquired' : verb.startsWith('detected') ? 'deadlock' : 'waiting';
    if (kind === 'acquired') this.summary.lockWaits++;
    if (verb.startsWith('avoided')) return;
    if (kind === 'deadlock') {
      // The ERROR "deadlock detected" that follows makes the row, with both queries.
      boundedSet(this.deadlockWait, Number(l[1]), { lockType: l[3]!, object: l[4]!, waitedMs: Number(l[5]) });
      return;
    }
    const holders = e.detail ? HOLDERS.exec(e.detail) : null;
    const blockers = (holders?.[1] ?? '')
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((n) => Number.isInteger(n) && n > 0)
      .map((p) => {
        const q = this.lastQueryByPid.get(p);
        return q === undefined ? { pid: p } : { pid: p, query: q };
      });
    this.pushLock({
      file: e.file,
      line: e.line,
      ...(e.time !== undefined ? { time: iso(e.time) } : {}),
      kind,
      pid: Number(l[1]),
      lockType: l[3]!,
      object: l[4]!,
      waitedMs: Number(l[5]),
      ...(e.statement !== undefined ? { query: e.statement } : {}),
      blockers,
    });
  }

  private deadlock(e: LogEntry): void {
    this.summary.deadlocks++;
    const queries = new Map<number, string>();
    for (const m of (e.detail ?? '').matchAll(DEADLOCK_PROCESS)) queries.set(Number(m[1]), m[2]!);
    const blockers = [...queries].filter(([p]) => p !== e.pid).map(([pid, query]) => ({ pid, query }));
    const wait = e.pid !== undefined ? this.deadlockWait.get(e.pid) : undefined;
    if (e.pid !== undefined) this.deadlockWait.delete(e.pid);
    this.pushLock({
      ...wait,
      file: e.file,
      line: e.line,
      ...(e.time !== undefined ? { time: iso(e.time) } : {}),
      kind: 'deadlock',
      ...(e.pid !== undefined ? { pid: e.pid } : {}),
      ...((e.statement ?? (e.pid !== undefined ? queries.get(e.pid) : undefined)) !== undefined ? { query: e.statement ?? queries.get(e.pid!)! } : {}),
      blockers,
    });
  }

  private pushLock(row: LockRow): void {
    if (this.locks.length < MAX_ROWS) this.locks.push(row);
  }

  /** A PgBouncer log line. */
  addBouncer(b: BouncerLine): void {
    if (!this.inWindow(b.time)) return;
    this.seen(b.time);
    const r = (this.bouncer ??= { lines: 0, logins: 0, loginFailures: [], poolErrors: [], closeReasons: {}, stats: [] });
    r.lines++;
    const msg = b.message;
    if (b.stats) {
      if (r.stats.length < MAX_ROWS * 4) r.stats.push({ file: b.file, line: b.line, ...(b.time !== undefined ? { time: iso(b.time) } : {}), ...b.stats });
      return;
    }
    if (msg.startsWith('login attempt: ')) {
      r.logins++;
      return;
    }
    const closing = /^closing because: (.*?)(?: \(age=[^)]*\))?$/.exec(msg);
    if (closing) {
      bump(r.closeReasons, closing[1]!);
      return;
    }
    const pooler = /^(?:pooler error|login failed): (.*)$/.exec(msg);
    if (!pooler && b.level !== 'WARNING' && b.level !== 'ERROR' && b.level !== 'FATAL') return;
    const text = pooler ? pooler[1]! : msg;
    if (b.side === 'C' && /password authentication failed|SASL authentication failed|no such user|login rejected|not allowed|no pg_hba/.test(text))
      noteAuth(this.bouncerAuth, b.address ?? 'unknown', b.user ?? 'unknown', messagePattern(text), b.time);
    const pattern = messagePattern(text);
    const g = this.bouncerErrors.get(pattern);
    if (g) g.count++;
    else if (this.bouncerErrors.size < MAX_ERROR_GROUPS)
      this.bouncerErrors.set(pattern, {
        pattern,
        count: 1,
        sample: { file: b.file, line: b.line, ...(b.time !== undefined ? { time: iso(b.time) } : {}), message: msg },
      });
  }

  report(sources: SourceRead[]): LogReport {
    const top = this.options.top ?? 200;
    // Copies, not the running figures: a kept analyzer reports again after more entries (the
    // panel's Refresh, the health report's slow query log), and a rounded total would drift.
    const s = this.conn.sessions;
    const sessions = { ...s, meanMs: s.count ? round(s.totalMs / s.count) : 0, totalMs: round(s.totalMs) };
    const byCount = <T extends { count: number }>(a: T, b: T) => b.count - a.count;
    const report: LogReport = {
      summary: {
        ...this.summary,
        statementGroups: this.stats.groupCount,
        ...(this.first !== undefined ? { first: iso(this.first) } : {}),
        ...(this.last !== undefined ? { last: iso(this.last) } : {}),
      },
      statements: this.stats.statements(top),
      errors: [...this.errors.values()].sort(byCount).slice(0, top),
      connections: { ...this.conn, sessions, authFailures: [...this.auth.values()].sort(byCount).slice(0, top) },
      checkpoints: [...this.checkpoints],
      autovacuum: [...this.vacuum.values()].sort((a, b) => b.totalS - a.totalS || b.vacuums + b.analyzes - a.vacuums - a.analyzes).slice(0, top),
      tempFiles: this.stats.tempFiles(top),
      locks: [...this.locks],
      hourly: [...this.hours.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b),
      minutely: [...this.minutes.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b),
      plans: this.plans.list(),
      planCount: this.plans.count,
      findings: [],
      sources,
    };
    if (this.bouncer)
      report.pgbouncer = {
        ...this.bouncer,
        loginFailures: [...this.bouncerAuth.values()].sort(byCount).slice(0, top),
        poolErrors: [...this.bouncerErrors.values()].sort(byCount).slice(0, top),
      };
    report.findings = findingsOf(report, this.options.thresholds ?? DEFAULT_THRESHOLDS);
    return report;
  }
}

function noteAuth(map: Map<string, AuthFailures>, address: string, user: string, reason: string, time: number | undefined): void {
  let a = map.get(address);
  if (!a) {
    if (map.size >= MAX_ADDRESSES) return;
    a = { address, count: 0, users: {}, reasons: {} };
    map.set(address, a);
  }
  a.count++;
  bump(a.users, user);
  bump(a.reasons, reason);
  a.first ??= iso(time);
  if (time !== undefined) a.last = iso(time);
}

export type { LogFinding };
