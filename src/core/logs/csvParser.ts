// csvlog records to entries. A record is one entry with its detail, hint, context and statement
// in their own columns; a quoted field may hold newlines, so a record can span lines. The
// columns are PostgreSQL's (13: 24, 14+: 26); one that is not a record is counted, never thrown.
import { parseLogTime } from './timestamp';
import { noteUnplaced, type LogEntry, type ReadProblems } from './types';

/** A record past this many characters is cut: a runaway quote must not hold the whole file. */
const MAX_RECORD = 64 * 1024 * 1024;

export class CsvParser {
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  private startLine = 0;

  constructor(
    private readonly file: string,
    private readonly emit: (e: LogEntry) => void,
    private readonly problems: ReadProblems,
  ) {}

  line(text: string, lineNo: number): void {
    if (!this.quoted) {
      this.fields = [];
      this.field = '';
      this.startLine = lineNo;
    } else {
      this.field += '\n';
      if (this.field.length > MAX_RECORD) {
        this.problems.oversizedLines++;
        this.quoted = false;
        return;
      }
    }
    let i = 0;
    const n = text.length;
    while (i < n) {
      if (this.quoted) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          this.field += text.slice(i);
          return; // the record goes on on the next line
        }
        this.field += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          this.field += '"';
          i = q + 2;
        } else {
          this.quoted = false;
          i = q + 1;
        }
      } else {
        const c = text.charCodeAt(i);
        if (c === 34) {
          this.quoted = true;
          i++;
        } else if (c === 44) {
          this.fields.push(this.field);
          this.field = '';
          i++;
        } else {
          const comma = text.indexOf(',', i);
          const quote = text.indexOf('"', i);
          const stop = Math.min(comma < 0 ? n : comma, quote < 0 ? n : quote);
          this.field += text.slice(i, stop);
          i = stop;
        }
      }
    }
    if (this.quoted) return;
    this.fields.push(this.field);
    this.record(this.fields, this.startLine);
  }

  private record(f: string[], lineNo: number): void {
    const time = f[0] ? parseLogTime(f[0]) : undefined;
    const level = f[11];
    if (f.length < 23 || time === undefined || !level) return noteUnplaced(this.problems, this.file, lineNo);
    const e: LogEntry = { file: this.file, line: lineNo, time, level, message: f[13] ?? '' };
    const opt = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
    const pid = Number(f[3]);
    if (Number.isInteger(pid) && pid > 0) e.pid = pid;
    const user = opt(f[1]);
    if (user) e.user = user;
    const db = opt(f[2]);
    if (db) e.database = db;
    const from = opt(f[4]);
    if (from) e.host = from.replace(/:\d+$/, '');
    const state = opt(f[12]);
    if (state) e.sqlstate = state;
    for (const [k, idx] of [
      ['detail', 14],
      ['hint', 15],
      ['query', 16],
      ['context', 18],
      ['statement', 19],
    ] as const) {
      const v = opt(f[idx]);
      if (v) e[k] = v;
    }
    const app = opt(f[22]);
    if (app) e.application = app;
    this.emit(e);
  }

  end(): void {
    if (this.quoted) {
      this.problems.incompleteTail = true;
      this.quoted = false;
    }
  }
}
