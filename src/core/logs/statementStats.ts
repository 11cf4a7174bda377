// Statements by fingerprint (count, total, mean, p95, max, the worst sample with its parameters,
// users and databases) and temp files by the query that wrote them. Groups are bounded: past
// MAX_GROUPS distinct shapes the rest go to one "other" row, so memory stays flat.
import { DurationHistogram } from './durationHistogram';
import type { Fingerprinter } from './fingerprint';
import type { StatementGroup, TempFileGroup } from './report';
import type { LogEntry } from './types';

const MAX_GROUPS = 20_000;
const OTHER = 'other';
const MAX_SAMPLE = 64 * 1024;
/** Characters of sample text all groups keep at most at MAX_SAMPLE each; past it, new samples are cut shorter. */
const SAMPLE_BUDGET = 16_000_000;
const SHORT_SAMPLE = 2_048;

interface Group {
  id: string;
  query: string;
  hist: DurationHistogram;
  total: number;
  users: Map<string, number>;
  databases: Map<string, number>;
  worst: StatementGroup['worst'];
}

const iso = (t?: number) => (t === undefined ? undefined : new Date(t).toISOString());
const bump = (m: Map<string, number>, k: string | undefined) => k !== undefined && m.set(k, (m.get(k) ?? 0) + 1);

export class StatementStats {
  private readonly groups = new Map<string, Group>();
  private readonly temp = new Map<string, TempFileGroup>();
  count = 0;
  /** Sample characters kept: 20,000 groups of 64 KB samples would be gigabytes. */
  private sampleChars = 0;

  constructor(private readonly fp: Fingerprinter) {}

  private cut(s: string): string {
    const max = this.sampleChars > SAMPLE_BUDGET ? SHORT_SAMPLE : MAX_SAMPLE;
    const kept = s.length > max ? s.slice(0, max) + '…' : s;
    this.sampleChars += kept.length;
    return kept;
  }

  private shapeOf(text: string): { id: string; query: string } {
    const s = this.fp.shape(text);
    return { id: s.id, query: s.normalized };
  }

  add(e: LogEntry, durationMs: number, text: string, parameters: string | undefined): void {
    this.count++;
    let { id, query } = this.shapeOf(text);
    let g = this.groups.get(id);
    if (!g && this.groups.size >= MAX_GROUPS) {
      id = OTHER;
      query = '(statements past the first 20,000 distinct ones)';
      g = this.groups.get(id);
    }
    const worst = (): StatementGroup['worst'] => ({
      file: e.file,
      line: e.line,
      ...(e.time !== undefined ? { time: iso(e.time) } : {}),
      durationMs,
      text: this.cut(text),
      ...(parameters !== undefined ? { parameters: this.cut(parameters) } : {}),
      ...(e.user !== undefined ? { user: e.user } : {}),
      ...(e.database !== undefined ? { database: e.database } : {}),
    });
    if (!g) {
      g = { id, query: this.cut(query), hist: new DurationHistogram(), total: 0, users: new Map(), databases: new Map(), worst: worst() };
      this.groups.set(id, g);
    } else if (durationMs > g.hist.max) {
      this.sampleChars -= g.worst.text.length + (g.worst.parameters?.length ?? 0);
      g.worst = worst();
    }
    g.hist.add(durationMs);
    g.total += durationMs;
    bump(g.users, e.user);
    bump(g.databases, e.database);
  }

  addTempFile(e: LogEntry, bytes: number): void {
    const text = e.statement ?? '';
    const { id, query } = text ? this.shapeOf(text) : { id: 'unknown', query: '(no statement logged with it)' };
    const g = this.temp.get(id);
    if (g) {
      g.count++;
      g.totalBytes += bytes;
      g.maxBytes = Math.max(g.maxBytes, bytes);
      return;
    }
    if (this.temp.size >= MAX_GROUPS) return;
    this.temp.set(id, {
      id,
      query: this.cut(query),
      count: 1,
      totalBytes: bytes,
      maxBytes: bytes,
      sample: {
        file: e.file,
        line: e.line,
        ...(e.time !== undefined ? { time: iso(e.time) } : {}),
        text: this.cut(text),
        ...(e.user !== undefined ? { user: e.user } : {}),
        ...(e.database !== undefined ? { database: e.database } : {}),
      },
    });
  }

  get groupCount(): number {
    return this.groups.size;
  }

  statements(limit: number): StatementGroup[] {
    return [...this.groups.values()]
      .sort((a, b) => b.total - a.total)
      .slice(0, limit)
      .map((g) => ({
        id: g.id,
        query: g.query,
        count: g.hist.count,
        totalMs: round(g.total),
        meanMs: round(g.total / g.hist.count),
        p95Ms: round(g.hist.quantile(0.95)),
        maxMs: round(g.hist.max),
        users: Object.fromEntries(g.users),
        databases: Object.fromEntries(g.databases),
        worst: g.worst,
      }));
  }

  tempFiles(limit: number): TempFileGroup[] {
    return [...this.temp.values()].sort((a, b) => b.totalBytes - a.totalBytes).slice(0, limit);
  }
}

export const round = (n: number) => Math.round(n * 1000) / 1000;
