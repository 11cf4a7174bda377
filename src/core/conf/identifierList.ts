// The list syntax of PostgreSQL's list-valued settings (search_path, log_destination …): what its
// SplitIdentifierString accepts. Written from the documented behaviour, not copied.

/** The blanks the server's scanner skips between list items. */
const BLANK = new Set([' ', '\t', '\n', '\r', '\f']);
/** NAMEDATALEN - 1: longer identifiers are truncated (bytes; ASCII here, where it matters). */
const MAX_IDENT = 63;

/**
 * Splits `value` at `separator` into identifiers: a quoted one keeps its case (`""` is a quote),
 * an unquoted one runs to the separator or a blank and is lower-cased (ASCII, as the server does
 * in UTF-8). Returns undefined for what the server calls invalid list syntax: an empty unquoted
 * item, an unterminated quote, text after an item. '' and blanks are the empty list. One pass.
 */
export function splitIdentifierList(value: string, separator = ','): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  const skip = () => {
    while (i < value.length && BLANK.has(value[i] ?? '')) i++;
  };
  skip();
  if (i >= value.length) return out;
  for (;;) {
    let item = '';
    if (value[i] === '"') {
      for (i++; ; i++) {
        if (i >= value.length) return undefined;
        if (value[i] === '"') {
          if (value[i + 1] !== '"') break;
          i++;
        }
        item += value[i];
      }
      i++;
    } else {
      const start = i;
      while (i < value.length && value[i] !== separator && !BLANK.has(value[i] ?? '')) i++;
      if (i === start) return undefined;
      item = value.slice(start, i).replace(/[A-Z]+/g, (s) => s.toLowerCase());
    }
    out.push(item.length > MAX_IDENT ? item.slice(0, MAX_IDENT) : item);
    skip();
    if (i >= value.length) return out;
    if (value[i] !== separator) return undefined;
    i++;
    skip();
  }
}
