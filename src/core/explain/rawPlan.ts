// The intermediate both parsers produce: the server's own property names (those of FORMAT JSON)
// per node, so that one normaliser (buildPlan.ts) turns either format into the typed tree.
// This is PEV2's split: the text parser rewrites psql's lines into JSON's keys.

export interface RawNode {
  props: Record<string, unknown>;
  children: RawNode[];
}

export interface RawPlan {
  root: RawNode;
  /** Top-level keys: Planning Time, Execution Time, Triggers, JIT, Settings, Planning … */
  top: Record<string, unknown>;
  format: 'json' | 'text';
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
