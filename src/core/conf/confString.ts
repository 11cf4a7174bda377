// Quoted values of postgresql.conf, as PostgreSQL's DeescapeQuotedString reads and as a fix
// writes them.

/**
 * Removes the quotes of a STRING token and resolves '' and the backslash escapes \b \f \n \r \t,
 * up to three octal digits, and \<any> = <any>. An octal \0 ends the value: the server keeps C
 * strings, so what follows a NUL is lost.
 */
export function deescapeQuoted(token: string): string {
  let out = '';
  const end = token.length - 1;
  for (let i = 1; i < end; i++) {
    const c = token[i] as string;
    if (c === '\\') {
      i++;
      const e = token[i] ?? '';
      switch (e) {
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        default:
          if (e >= '0' && e <= '7') {
            let v = 0;
            let k = 0;
            for (; k < 3 && i + k < end && (token[i + k] as string) >= '0' && (token[i + k] as string) <= '7'; k++) {
              v = v * 8 + token.charCodeAt(i + k) - 48;
            }
            i += k - 1;
            v &= 0xff; // a C char
            if (v === 0) return out;
            out += String.fromCharCode(v);
          } else out += e;
      }
    } else if (c === "'" && token[i + 1] === "'") {
      out += "'";
      i++;
    } else out += c;
  }
  return out;
}

/** A value written back into a file: bare when the lexer reads it as one token, else quoted. */
export function quoteIfNeeded(value: string): string {
  if (/^(?:[A-Za-z_][A-Za-z0-9_]*|[+-]?\d+[A-Za-z]*|[+-]?\d*\.\d+)$/.test(value)) return value;
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
