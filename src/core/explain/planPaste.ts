// A plan as people paste it → the bare plan (JSON text or the text format's lines) and what was
// around it, the way PEV2 reads pastes: psql's aligned table (ASCII or Unicode rules, border
// 0/1/2, newline and wrap marks, the prompt and command before it, the "(N rows)" footer),
// pgAdmin's quoted copy and psql --csv, JSON with text around it, and auto_explain's messages in
// a server log. Every step is one pass over the lines; nothing here knows a plan's grammar.
import { PlanParseError } from './planTypes';
import { displayWidth, indexOfColumn, sliceColumns } from '../displayWidth';

export interface Paste {
  kind: 'json' | 'text';
  /** The bare plan: JSON text, or the text format's lines joined by "\n" (no empty line). */
  text: string;
  /** For kind "json": the value, parsed once here. */
  json?: unknown;
  /** For kind "text": the paste's 1-based line number of each line of `text`. */
  origin: number[];
  /** What was recognised and taken off, in words ("psql table (unicode, border 2)"). */
  recognised: string[];
  /** The statement, when the paste carries it (a psql command, auto_explain's Query Text). */
  query?: string;
  /** Plans in the paste (an auto_explain log can hold several); `index` is the one returned. */
  plans: number;
  index: number;
}

export interface PasteOptions {
  /** Which plan of a log holding several, from 0 (default: the first). */
  plan?: number;
}

interface Line {
  text: string;
  no: number;
}

/** psql output around a plan: the "QUERY PLAN" header, the dashes, "(N rows)", trailing '+'. */
export function stripPsqlDecoration(input: string): string[] {
  const lines = input.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (let line of lines) {
    if (/^\s*QUERY PLAN\s*$/.test(line) || /^\s*-{3,}\s*$/.test(line) || /^\s*\(\d+ rows?\)\s*$/.test(line)) continue;
    // psql's aligned format marks a value's line breaks with a trailing '+' (JSON plans).
    // Not /\s+$/: that regex retries from every blank of a deep plan's indentation (quadratic).
    if (line.length >= 2 && line.endsWith('+') && /\s/.test(line.charAt(line.length - 2))) line = line.slice(0, -2);
    line = line.trimEnd();
    if (line.trim() === '') continue;
    out.push(line);
  }
  return out;
}

const MAX_PASTE = 256 * 1024 * 1024;

export function unwrapPaste(input: string, options: PasteOptions = {}): Paste {
  if (input.length > MAX_PASTE) throw new PlanParseError(`the text is ${Math.round(input.length / 1048576)} MB: more than a plan can be (256 MB at most)`);
  const lines: Line[] = input
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((text, i) => ({ text, no: i + 1 }));
  const recognised: string[] = [];
  const log = autoExplain(lines, options.plan ?? 0, recognised);
  if (log) return log;
  let body = lines;
  const csv = csvRecords(lines);
  if (csv) {
    recognised.push(csv.what);
    body = csv.records;
  }
  let query: string | undefined;
  const table = psqlExpanded(body) ?? psqlTable(body);
  if (table) {
    recognised.push(table.what);
    body = table.body;
    query = commandOf(table.before.map((l) => l.text));
  } else {
    const cmd = promptCommand(body);
    if (cmd) {
      recognised.push('a psql prompt and the command');
      body = cmd.rest;
      query = cmd.query;
    }
    body = body.filter((l) => !/^\s*\(\d+ rows?\)\s*$/.test(l.text) && !PROMPT.test(l.text));
  }
  return finish(body, recognised, query, 1, 0);
}

function finish(body: Line[], recognised: string[], query: string | undefined, plans: number, index: number): Paste {
  const nonEmpty = body.filter((l) => l.text.trim() !== '');
  const first = nonEmpty[0]?.text.trimStart() ?? '';
  const joined = nonEmpty.map((l) => l.text).join('\n');
  if (first.startsWith('[') || first.startsWith('{') || (!looksLikeTextPlan(first) && joined.includes('"Plan"'))) {
    const json = jsonIn(joined);
    if (json !== undefined) {
      if (json.around) recognised.push('text around the JSON');
      // psql -e -A -t: the command echoed before the JSON.
      const q = query ?? commandOf(json.before.split('\n'));
      return { kind: 'json', text: json.text, json: json.value, origin: [], recognised, query: q, plans, index };
    }
  }
  // trimEnd, never /\s+$/: that regex retries from every blank of a deep plan's indentation (quadratic).
  const kept = nonEmpty.map((l) => ({ text: l.text.trimEnd(), no: l.no }));
  return { kind: 'text', text: kept.map((l) => l.text).join('\n'), origin: kept.map((l) => l.no), recognised, query, plans, index };
}

const looksLikeTextPlan = (line: string): boolean => /\(cost=\d|\(actual (time|rows)=/.test(line);

/** The first JSON value that starts a line and holds "Plan", with anything before or after it dropped. */
function jsonIn(text: string): { text: string; value?: unknown; around: boolean; before: string } | undefined {
  try {
    return { text, value: JSON.parse(text) as unknown, around: false, before: '' };
  } catch {
    // text around it, or not JSON at all: looked for below
  }
  let from = 0;
  for (let tries = 0; tries < 50; tries++) {
    const m = /^[ \t]*[[{]/m.exec(text.slice(from));
    if (!m) return undefined;
    const start = from + m.index + m[0].length - 1;
    const end = matchingClose(text, start);
    // Unbalanced from the first character: the JSON parser says what is wrong with it.
    if (end < 0) return tries === 0 && start === text.search(/\S/) ? { text, around: false, before: '' } : undefined;
    const slice = text.slice(start, end + 1);
    if (slice.includes('"Plan"')) {
      try {
        return { text: slice, value: JSON.parse(slice) as unknown, around: start > 0 || text.slice(end + 1).trim() !== '', before: text.slice(0, start) };
      } catch {
        // not this one
      }
    }
    from = end + 1;
  }
  return undefined;
}

/** Index of the bracket closing the one at `start` (strings skipped), or -1. */
function matchingClose(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) depth++;
    else if (c === 93 || c === 125) {
      if (--depth === 0) return i;
    }
  }
  return -1;
}

// ---------------------------------------------------------------- auto_explain in a server log

const LOG_PLAN = /\b(?:LOG|INFO|NOTICE|DEBUG[1-5]?):\s+duration: ([\d.]+) ms\s+plan:\s*$/;
const LOG_LINE = /\b(?:LOG|ERROR|WARNING|FATAL|PANIC|STATEMENT|DETAIL|HINT|CONTEXT|NOTICE|INFO|DEBUG[1-5]?):\s/;

/** auto_explain's "duration: … ms  plan:" messages; their lines follow, each behind a tab. */
function autoExplain(lines: Line[], want: number, recognised: string[]): Paste | undefined {
  const starts: number[] = [];
  for (let i = 0; i < lines.length; i++) if (LOG_PLAN.test(lines[i]!.text)) starts.push(i);
  if (starts.length === 0) return undefined;
  if (want < 0 || want >= starts.length || !Number.isInteger(want)) {
    throw new PlanParseError(`the log holds ${starts.length} plan${starts.length === 1 ? '' : 's'}: plan ${want + 1} does not exist`);
  }
  const at = starts[want]!;
  const message: Line[] = [];
  for (let i = at + 1; i < lines.length; i++) {
    const l = lines[i]!;
    // A message's own lines start with a tab; a paste that lost its tabs ends at the next log line.
    if (!l.text.startsWith('\t') && (LOG_LINE.test(l.text) || l.text.trim() === '')) break;
    message.push({ text: l.text.startsWith('\t') ? l.text.slice(1) : l.text, no: l.no });
  }
  const of = starts.length > 1 ? `, plan ${want + 1} of ${starts.length}` : '';
  const first = message.find((l) => l.text.trim() !== '')?.text.trimStart() ?? '';
  if (first.startsWith('{')) {
    recognised.push(`auto_explain log (JSON)${of}`);
    return finish(message, recognised, undefined, starts.length, want);
  }
  if (first.startsWith('<') || /^Query Text: \|/.test(first) || first.startsWith('- Query Text:')) {
    throw new PlanParseError(`line ${lines[at]!.no}: auto_explain's XML and YAML formats are not read: set auto_explain.log_format to text or json`);
  }
  // Text: "Query Text: …" (its lines, then "Query Parameters: …" from 16) before the plan's first line.
  let plan = message.findIndex((l) => looksLikeTextPlan(l.text));
  if (plan < 0) plan = message.findIndex((l) => !l.text.startsWith('Query Text: ') && l.text.trim() !== '');
  const head = message.slice(0, Math.max(plan, 0)).filter((l) => !l.text.startsWith('Query Parameters: '));
  const query = head.length > 0 ? head.map((l) => l.text.replace(/^Query Text: /, '')).join('\n') : undefined;
  recognised.push(`auto_explain log (text)${of}`);
  return finish(message.slice(Math.max(plan, 0)), recognised, query, starts.length, want);
}

// ---------------------------------------------------------------- CSV and pgAdmin's quoted copy

const RULE = /^[-+─┼├┤┌┐└┘╔╗╚╝╠╣═╞╡╪┬┴╤╧╦╩╬╟╢║│|\s]+$/;
const isRule = (s: string): boolean => RULE.test(s) && /[-─═]{3}/.test(s);

/** One column of CSV (psql --csv, pgAdmin's copy: each value in quotes, quotes doubled) → its values' lines. */
function csvRecords(lines: Line[]): { records: Line[]; what: string } | undefined {
  const filled = lines.filter((l) => l.text.trim() !== '');
  const first = filled[0]?.text ?? '';
  const plainHeader = first === 'QUERY PLAN' && !isRule(filled[1]?.text ?? '');
  if (!first.startsWith('"') && !plainHeader) return undefined;
  const records: Line[] = [];
  let quoted = 0;
  let plain = 0;
  for (let i = 0; i < lines.length; i++) {
    const { text, no } = lines[i]!;
    if (!text.startsWith('"')) {
      if (text.trim() !== '') {
        records.push({ text, no });
        plain++;
      }
      continue;
    }
    quoted++;
    // A quoted value runs to the quote not doubled, maybe lines later (a JSON plan in one cell).
    let value = '';
    let line = text;
    let pos = 1;
    let lineNo = no;
    for (;;) {
      const q = line.indexOf('"', pos);
      if (q < 0) {
        value += line.slice(pos) + '\n';
        i++;
        if (i >= lines.length) throw new PlanParseError(`line ${no}: a quoted value that is never closed (a CSV or pgAdmin copy cut short?)`);
        line = lines[i]!.text;
        lineNo = lines[i]!.no;
        pos = 0;
        continue;
      }
      if (line[q + 1] === '"') {
        value += line.slice(pos, q + 1);
        pos = q + 2;
        continue;
      }
      value += line.slice(pos, q);
      const after = line.slice(q + 1).trim();
      // pgAdmin's copy of several columns: only the first is the plan's
      if (after !== '' && !/^[,;\t]/.test(after)) throw new PlanParseError(`line ${lineNo}: text after a closing quote: "${after.slice(0, 40)}"`);
      break;
    }
    for (const [k, part] of value.split('\n').entries()) records.push({ text: part, no: no + k });
  }
  if (records[0]?.text === 'QUERY PLAN') records.shift();
  return { records, what: plain <= 1 && quoted > 1 ? "quoted lines (pgAdmin's copy)" : 'CSV' };
}

// ---------------------------------------------------------------- psql's aligned table

const BAR = /^[|│║]/;
const WRAP = new Set(['.', '…']);

/**
 * psql's aligned output. The rule under the header gives the column's width W; the border style
 * where the value and the marks sit: border 0 = value at 0, mark at W; border 1 = left mark at 0,
 * value at 1, right mark at W+1; border 2 = "│", left mark, value at 2, right mark at W+2, "│".
 * A right mark '+'/'↵' ends a line of a value with line breaks (a JSON plan); '.'/'…' (format
 * wrapped) continues the same line on the next. Counted in display columns, as psql pads: a CJK
 * character takes two (src/core/displayWidth.ts). old-ascii marks nothing in a one-column table.
 */
function psqlTable(lines: Line[]): { body: Line[]; before: Line[]; what: string } | undefined {
  let h = -1;
  for (let i = 0; i + 1 < lines.length; i++) {
    const t = lines[i]!.text.replace(/[|│║]/g, '').trim();
    if (t === 'QUERY PLAN' && isRule(lines[i + 1]!.text)) {
      h = i;
      break;
    }
  }
  if (h < 0) return undefined;
  const header = lines[h]!.text;
  const rule = lines[h + 1]!.text.trimEnd();
  const border = BAR.test(header.trimStart()) ? 2 : 0; // 0 or 1: told apart by the body below
  const unicode = /[─═]/.test(rule);
  const double = rule.includes('═');
  const body: Line[] = [];
  let i = h + 2;
  const rows: string[] = [];
  const nos: number[] = [];
  for (; i < lines.length; i++) {
    const text = lines[i]!.text;
    if (/^\s*\(\d+ rows?\)\s*$/.test(text)) break;
    if (border === 2 && isRule(text)) break;
    if (border !== 2 && text.trim() === '') break;
    rows.push(text.trimEnd());
    nos.push(lines[i]!.no);
  }
  const b = border === 2 ? 2 : rows.length > 0 && rows.every((r) => r.length === 0 || r[0] === ' ' || WRAP.has(r[0]!)) && rows[0]![0] === ' ' ? 1 : 0;
  const width = displayWidth(rule) - (b === 2 ? 4 : b === 1 ? 2 : 0);
  const start = b === 2 ? 2 : b;
  let before = lines.slice(0, h);
  if (b === 2 && before.length > 0 && isRule(before[before.length - 1]!.text)) before = before.slice(0, -1);
  const style = unicode ? `unicode${double ? ', double' : ''}` : 'ascii';
  const what = `psql table (${style}, border ${b})`;
  // A line wider than the rule says: not psql's geometry (an edited or re-flowed paste); each line
  // then loses its bars and a trailing newline mark, and no wrapped line is joined.
  if (rows.some((r) => displayWidth(r) > start + width + 1 + (b === 2 ? 1 : 0))) {
    const loose = rows.map((r, k) => ({
      text: r
        .replace(/^[|│║] ?/, '')
        .trimEnd()
        .replace(/[|│║]$/, '')
        .trimEnd()
        .replace(/\s[+↵]$/, '')
        .trimEnd(),
      no: nos[k]!,
    }));
    return { body: loose, before, what };
  }
  let current = '';
  let currentNo = 0;
  let open = false;
  for (const [k, r] of rows.entries()) {
    const markAt = indexOfColumn(r, start + width);
    const mark = markAt < r.length ? String.fromCodePoint(r.codePointAt(markAt)!) : undefined;
    const value = sliceColumns(r, start, start + width);
    if (!open) currentNo = nos[k]!;
    current += value;
    if (mark !== undefined && WRAP.has(mark)) {
      open = true;
      continue;
    }
    body.push({ text: current.trimEnd(), no: currentNo });
    current = '';
    // '+'/'↵' (a line break in the value) and no mark both end the line here.
    open = false;
  }
  if (open) body.push({ text: current.trimEnd(), no: currentNo });
  return { body, before, what };
}

// ---------------------------------------------------------------- psql's expanded output (\x)

/** A record's header: "-[ RECORD 1 ]---", "┌─[ RECORD 1 ]──┐", "╠═[ RECORD 2 ]═╣" …, "* Record 1" (border 0). */
const RECORD = /^(?:[+|┌├╔╠]?[-─═]\[ RECORD \d+ \][-─═]*[+|┐┤╗╣]?|\* Record \d+)$/;
const LABEL = 'QUERY PLAN';
const NEWLINE_MARKS = new Set(['+', '↵']);

/**
 * psql's expanded output: a record per row, "QUERY PLAN | value" (a plan line each, or the whole
 * JSON), its further lines under the label. Border 0: the value after "QUERY PLAN "; border 1:
 * after "QUERY PLAN | "; border 2: after "| QUERY PLAN | ", up to the right border. A line that
 * another of the record follows ends with a mark: '+'/'↵' a line break, '.'/'…' a line wrapped
 * (whose rest starts with '.'/'…' in the separator's margin) — old-ascii puts ':' (a line
 * break) or ';' (wrapped) in place of the next line's separator instead.
 */
function psqlExpanded(lines: Line[]): { body: Line[]; before: Line[]; what: string } | undefined {
  const first = lines.findIndex((l) => RECORD.test(l.text.trim()));
  if (first < 0) return undefined;
  const head = lines[first]!.text.trim();
  const at = lines[first + 1]?.text.indexOf(LABEL) ?? -1;
  if (at < 0) return undefined;
  const border = head.startsWith('*') ? 0 : /^[+┌├╔╠|]/.test(head) ? 2 : 1;
  const sepAt = at + LABEL.length + 1;
  const valueAt = border === 0 ? sepAt : sepAt + 2;
  // The records' lines: the value (right border off) and the separator's character.
  const records: { v: string; sep: string; no: number }[][] = [];
  for (let i = first; i < lines.length; i++) {
    const { text, no } = lines[i]!;
    const t = text.trim();
    if (RECORD.test(t)) {
      records.push([]);
      continue;
    }
    if (t === '' || isRule(t) || PROMPT.test(text) || /^\(\d+ rows?\)$/.test(t)) break;
    let v = text.slice(valueAt);
    if (border === 2) v = v.trimEnd().replace(/[|│║]$/, '');
    records[records.length - 1]!.push({ v, sep: text[sepAt] ?? ' ', no });
  }
  const oldAscii = records.some((r) => r.slice(1).some((l) => l.sep === ':' || l.sep === ';'));
  const body: Line[] = [];
  for (const record of records) {
    let current = '';
    let currentNo = record[0]?.no ?? 0;
    record.forEach((l, k) => {
      const next = record[k + 1];
      let v = border === 2 ? l.v : l.v.trimEnd();
      let wrapped = false;
      if (next && oldAscii) wrapped = next.sep === ';';
      else if (next) {
        const mark = v.slice(-1);
        wrapped = mark === '.' || mark === '…';
        if (wrapped || NEWLINE_MARKS.has(mark)) v = v.slice(0, -1);
      }
      current += v;
      if (wrapped) return;
      body.push({ text: current.trimEnd(), no: currentNo });
      current = '';
      if (next) currentNo = next.no;
    });
  }
  const unicode = /[─═]/.test(head);
  const style = oldAscii ? 'old-ascii' : unicode ? `unicode${head.includes('═') ? ', double' : ''}` : 'ascii';
  return { body, before: lines.slice(0, first), what: `psql expanded (${style}, border ${border})` };
}

// ---------------------------------------------------------------- the prompt and the command

/** psql's default prompts: "hotel=# ", "hotel-# ", "hotel=> ", "hotel=*# " (in a transaction), "hotel(# " … */
const PROMPT = /^[\w.$@-]*\w[=\-'"(*!^~][*!?]?[#>] /;

/** The statement of the lines before a table: from the last line that starts EXPLAIN, prompts taken off. */
function commandOf(before: string[]): string | undefined {
  const texts = before.map((l) => l.replace(PROMPT, ''));
  let from = -1;
  for (let i = texts.length - 1; i >= 0; i--) {
    if (/^\s*EXPLAIN\b/i.test(texts[i]!)) {
      from = i;
      break;
    }
  }
  if (from < 0) return undefined;
  return statementOf(texts.slice(from).join('\n'));
}

/** A prompt's command at the top of a paste without a table (\t on, or the header cut off). */
function promptCommand(lines: Line[]): { rest: Line[]; query?: string } | undefined {
  let i = 0;
  while (i < lines.length && lines[i]!.text.trim() === '') i++;
  if (i >= lines.length || !PROMPT.test(lines[i]!.text)) return undefined;
  const cmd: string[] = [];
  for (; i < lines.length; i++) {
    const t = lines[i]!.text.replace(PROMPT, '');
    cmd.push(t);
    if (t.trimEnd().endsWith(';')) {
      i++;
      break;
    }
  }
  return { rest: lines.slice(i), query: statementOf(cmd.join('\n')) };
}

/** "EXPLAIN (ANALYZE, BUFFERS) SELECT …;" → "SELECT …". */
function statementOf(command: string): string | undefined {
  const s = command
    .replace(/^\s*EXPLAIN\s*(?:\((?:[^()]|\([^()]*\))*\)|(?:\s*\b(?:ANALYZE|ANALYSE|VERBOSE)\b)*)\s*/i, '')
    .trimEnd()
    .replace(/;$/, '')
    .trim();
  return s === '' ? undefined : s;
}
