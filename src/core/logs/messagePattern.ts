// An error message as a pattern: quoted names, numbers and hex ids become "…", so "relation "a"
// does not exist" and "relation "b" does not exist" are one row (what pgBadger does with "...").
// One linear pass; the pattern is bounded in length.

const MAX = 300;

export function messagePattern(message: string): string {
  const text = message.length > MAX * 4 ? message.slice(0, MAX * 4) : message;
  let out = text
    .replace(/"(?:[^"]|"")*"/g, '"…"')
    .replace(/'(?:[^']|'')*'/g, "'…'")
    .replace(/\b0x[0-9a-f]+\b/gi, '…')
    .replace(/(^|[^\w.])-?\d+(?:\.\d+)?\b/g, '$1…');
  if (out.length > MAX) out = out.slice(0, MAX) + '…';
  return out;
}
