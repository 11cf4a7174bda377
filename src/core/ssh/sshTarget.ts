// An SSH hop as a person writes it: `[user@]host[:port]` (an alias of ~/.ssh/config is a host
// without user or port). A name is data: one that starts with "-" or holds blanks or control
// characters is refused, so it can never become an option or a second word anywhere.

export interface SshTarget {
  user?: string;
  host: string;
  port?: number;
}

const BAD = /[\s\u0000-\u001f\u007f]/;

/** Parses `[user@]host[:port]` and `[user@][v6addr]:port`; throws with what to write instead. */
export function parseSshTarget(text: string): SshTarget {
  const s = text.trim();
  const usage = `an SSH hop is [user@]host[:port] (got "${s.slice(0, 80)}")`;
  if (!s || BAD.test(s) || s.length > 1024) throw new Error(usage);
  const at = s.lastIndexOf('@');
  const user = at >= 0 ? s.slice(0, at) : undefined;
  let rest = at >= 0 ? s.slice(at + 1) : s;
  let port: number | undefined;
  let host: string;
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    if (end < 0) throw new Error(usage);
    host = rest.slice(1, end);
    rest = rest.slice(end + 1);
    if (rest) {
      if (!rest.startsWith(':')) throw new Error(usage);
      port = parsePort(rest.slice(1), usage);
    }
  } else {
    const colon = rest.indexOf(':');
    if (colon >= 0 && rest.indexOf(':', colon + 1) < 0) {
      port = parsePort(rest.slice(colon + 1), usage);
      host = rest.slice(0, colon);
    } else host = rest; // a bare IPv6 address has several colons and no port
  }
  if (!host || host.startsWith('-') || (user !== undefined && (!user || user.startsWith('-')))) throw new Error(usage);
  return { ...(user !== undefined ? { user } : {}), host, ...(port !== undefined ? { port } : {}) };
}

function parsePort(text: string, usage: string): number {
  const n = Number(text);
  if (!/^\d{1,5}$/.test(text) || n < 1 || n > 65535) throw new Error(usage);
  return n;
}

/** `user@host:port`, as sessions are keyed and hops are named to a person. */
export function describeSshTarget(t: { user: string; host: string; port: number }): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${t.user}@${host}:${t.port}`;
}

/**
 * ssh's pattern match: `*` any run, `?` one character, case-insensitive as ssh compares host names.
 * Iterative with one backtrack point, so O(pattern × name) at worst, never exponential.
 */
export function globMatch(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const s = name.toLowerCase();
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < s.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === s[si])) {
      pi++;
      si++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = si;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/** A list of patterns as Host and known_hosts take them: a negated match (`!pat`) wins over any positive one. */
export function matchPatternList(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pat = negated ? raw.slice(1) : raw;
    if (!globMatch(pat, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}
