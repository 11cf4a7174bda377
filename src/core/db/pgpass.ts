// ~/.pgpass, as libpq reads it: hostname:port:database:username:password, '*' matches anything,
// '\' escapes ':' and '\', first matching line wins, file ignored unless mode is 0600 or stricter.

export interface PgpassEntry {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
}

function splitFields(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
    } else if (ch === ':') {
      fields.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  fields.push(cur);
  return fields;
}

export function parsePgpass(text: string): PgpassEntry[] {
  const entries: PgpassEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.trimStart().startsWith('#')) continue;
    const f = splitFields(raw);
    if (f.length < 5) continue;
    const [host, port, database, user] = f as [string, string, string, string];
    entries.push({ host, port, database, user, password: f.slice(4).join(':') });
  }
  return entries;
}

export function lookupPgpass(entries: readonly PgpassEntry[], want: { host: string; port: number; database: string; user: string }): string | undefined {
  const hostMatches = (h: string) => h === '*' || h === want.host || (h === 'localhost' && (want.host === '127.0.0.1' || want.host.startsWith('/')));
  for (const e of entries) {
    if (!hostMatches(e.host)) continue;
    if (e.port !== '*' && e.port !== String(want.port)) continue;
    if (e.database !== '*' && e.database !== want.database) continue;
    if (e.user !== '*' && e.user !== want.user) continue;
    return e.password;
  }
  return undefined;
}
