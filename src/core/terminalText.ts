// The one escaping of text bound for a terminal: a name or value from a file, a plan or a server
// may hold ESC sequences (a title change, a screen clear, a forged hyperlink) or bidi overrides
// that reorder what a person reads. Every CLI text output passes what it prints through here;
// JSON and SARIF output are JSON-escaped by JSON.stringify instead (control characters as \u00XX).

// C0 (tab and newline too: a newline in a name would forge a line), DEL, C1, and the bidi
// embeddings, overrides, isolates and marks.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_LINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escape(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control character written as a visible escape (ESC → \x1b, U+202E → \u202e).
 * `lines: true` keeps the newlines of a block of output (and escapes everything else, tabs too).
 */
export function terminalText(text: string, opts: { lines?: boolean } = {}): string {
  return text.replace(opts.lines ? CONTROL_BUT_LINES : CONTROL, escape);
}

// JSON.stringify escapes C0 but leaves DEL, C1 (0x9b is a CSI to an 8-bit terminal) and the bidi
// controls raw; they can only occur inside strings, where \uXXXX is the same value.
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** JSON.stringify(value, null, indent) with no control character left raw: safe to cat. */
export function terminalJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
