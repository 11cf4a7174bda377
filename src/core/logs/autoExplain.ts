// auto_explain's plans in the log ("duration: … ms  plan:" entries, text or JSON format): the
// slowest ones kept, each with its message as the plan viewer's paste reader takes it
// (src/core/explain/planPaste.ts reads auto_explain's lines), so no second plan parser here.
import type { LoggedPlan } from './report';
import type { LogEntry } from './types';

const MAX_PLANS = 200;
/** A plan's message past this is cut and marked: the viewer could not read half a plan. */
const MAX_PLAN_CHARS = 4 * 1024 * 1024;
const QUERY_CHARS = 2000;

const iso = (t?: number) => (t === undefined ? undefined : new Date(t).toISOString());

/** The statement auto_explain logged with the plan ("Query Text"), for the table; undefined when it logged none. */
function queryOf(body: string, format: LoggedPlan['format']): string | undefined {
  if (format === 'json') {
    // The key's value as JSON wrote it: one string, quotes escaped.
    const m = /"Query Text": ("(?:[^"\\]|\\.){0,20000}")/.exec(body);
    if (!m) return undefined;
    try {
      return JSON.parse(m[1]!) as string;
    } catch {
      return undefined;
    }
  }
  const m = /^Query Text: (.*)$/m.exec(body);
  return m?.[1];
}

/** The plans of the slowest statements, at most MAX_PLANS of them. */
export class LoggedPlans {
  private readonly plans: LoggedPlan[] = [];
  count = 0;

  /** `body`: the message after "plan:" (its lines joined by "\n"). */
  add(e: LogEntry, durationMs: number, body: string): void {
    this.count++;
    if (this.plans.length >= MAX_PLANS) {
      let min = 0;
      for (let i = 1; i < this.plans.length; i++) if (this.plans[i]!.durationMs < this.plans[min]!.durationMs) min = i;
      if (this.plans[min]!.durationMs >= durationMs) return;
      this.plans.splice(min, 1);
    }
    const text = body.replace(/^\n+/, '');
    const format: LoggedPlan['format'] = text.trimStart().startsWith('{') ? 'json' : 'text';
    const query = queryOf(text, format);
    const truncated = text.length > MAX_PLAN_CHARS;
    this.plans.push({
      file: e.file,
      line: e.line,
      ...(e.time !== undefined ? { time: iso(e.time) } : {}),
      durationMs,
      format,
      ...(query !== undefined ? { query: query.length > QUERY_CHARS ? query.slice(0, QUERY_CHARS) + '…' : query } : {}),
      message: `duration: ${durationMs} ms  plan:\n${truncated ? text.slice(0, MAX_PLAN_CHARS) : text}`,
      ...(truncated ? { truncated } : {}),
      ...(e.user !== undefined ? { user: e.user } : {}),
      ...(e.database !== undefined ? { database: e.database } : {}),
    });
  }

  /** Slowest first. */
  list(): LoggedPlan[] {
    return [...this.plans].sort((a, b) => b.durationMs - a.durationMs);
  }
}

/** The plan's message as a log excerpt the plan viewer's paste reader takes (its lines behind a tab). */
export function planPasteText(p: LoggedPlan): string {
  const [first, ...rest] = p.message.split('\n');
  return [`LOG:  ${first}`, ...rest.map((l) => `\t${l}`)].join('\n');
}
