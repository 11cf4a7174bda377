// Which pg_hba.conf records can never match because an earlier record already matches every
// connection they would (PostgreSQL uses the first record that matches, check_hba in hba.c).
// "Covers" is decided conservatively: only when it holds for every possible connection, so a
// record is never called dead when some connection could still reach it.
import type { HbaAddress, HbaConnType, HbaRecord, HbaToken } from '../conf/hbaParser';
import { rangeCovers } from '../conf/ipAddress';

// Connection states a TCP connection can be in: plain, SSL, GSSAPI-encrypted (never both).
type TcpState = 'plain' | 'ssl' | 'gss';
const CONN_STATES: Record<Exclude<HbaConnType, 'local'>, readonly TcpState[]> = {
  host: ['plain', 'ssl', 'gss'],
  hostssl: ['ssl'],
  hostnossl: ['plain', 'gss'],
  hostgssenc: ['gss'],
  hostnogssenc: ['plain', 'ssl'],
};

function connCovers(a: HbaConnType, b: HbaConnType): boolean {
  if (a === 'local' || b === 'local') return a === b;
  const as = CONN_STATES[a];
  return CONN_STATES[b].every((s) => as.includes(s));
}

function addressCovers(a: HbaAddress | undefined, b: HbaAddress | undefined): boolean {
  if (!a || !b) return !a && !b;
  switch (a.kind) {
    case 'all':
      return true;
    case 'samehost':
      return b.kind === 'samehost';
    case 'samenet':
      // Every address of this host lies in one of its own subnets.
      return b.kind === 'samehost' || b.kind === 'samenet';
    case 'ip':
      return b.kind === 'ip' && rangeCovers(a.ip, a.mask, b.ip, b.mask);
    case 'hostname': {
      if (b.kind !== 'hostname') return false;
      const an = a.name.toLowerCase();
      const bn = b.name.toLowerCase();
      return an === bn || (an.startsWith('.') && bn.endsWith(an));
    }
  }
}

const kw = (t: HbaToken, ...words: string[]) => !t.quoted && words.includes(t.text);
const isFileRef = (t: HbaToken) => !t.quoted && t.text.length > 1 && t.text.startsWith('@');

function dbTokenCovers(a: HbaToken, b: HbaToken, regex: boolean): boolean {
  // Physical replication connections match only the replication keyword, never "all".
  if (kw(a, 'all')) return !kw(b, 'replication');
  if (kw(a, 'replication')) return kw(b, 'replication');
  if (kw(a, 'sameuser')) return kw(b, 'sameuser');
  if (kw(a, 'samerole', 'samegroup')) return kw(b, 'samerole', 'samegroup');
  if (kw(b, 'all', 'replication', 'sameuser', 'samerole', 'samegroup')) return false;
  return sameLiteral(a, b, regex);
}

function userTokenCovers(a: HbaToken, b: HbaToken, regex: boolean): boolean {
  if (kw(a, 'all')) return true;
  if (kw(b, 'all')) return false;
  const aGroup = !a.quoted && a.text.startsWith('+');
  const bGroup = !b.quoted && b.text.startsWith('+');
  if (aGroup || bGroup) return aGroup && bGroup && a.text === b.text;
  return sameLiteral(a, b, regex);
}

/** Same name, same @file, or the same regular expression. */
function sameLiteral(a: HbaToken, b: HbaToken, regex: boolean): boolean {
  if (isFileRef(a) || isFileRef(b)) return isFileRef(a) && isFileRef(b) && a.text === b.text;
  const aRe = regex && a.text.startsWith('/');
  const bRe = regex && b.text.startsWith('/');
  if (aRe || bRe) return aRe && bRe && a.text === b.text;
  return a.text === b.text;
}

/** Does record `a` match every connection that record `b` matches? */
function recordCovers(a: HbaRecord, b: HbaRecord, major: number): boolean {
  const regex = major >= 16;
  return (
    connCovers(a.type, b.type) &&
    addressCovers(a.address, b.address) &&
    b.databases.every((bt) => a.databases.some((at) => dbTokenCovers(at, bt, regex))) &&
    b.users.every((bt) => a.users.some((at) => userTokenCovers(at, bt, regex)))
  );
}

export interface ShadowedRecord {
  record: HbaRecord;
  by: HbaRecord;
}

export interface ShadowCheck {
  shadowed: ShadowedRecord[];
  /** The first record not checked: the comparison budget ran out before it. */
  stoppedAt?: HbaRecord;
}

/** Record pairs compared at most, whatever the file: beyond it the check stops with a finding. */
export const MAX_SHADOW_COMPARISONS = 5_000_000;

/** A token that only 'all' or a token of the same text can cover (not a keyword, @file, regex or +group). */
function plainText(t: HbaToken | undefined, regex: boolean): string | undefined {
  if (!t) return undefined;
  if (!t.quoted && (['all', 'replication', 'sameuser', 'samerole', 'samegroup'].includes(t.text) || t.text.startsWith('+'))) return undefined;
  if (isFileRef(t) || (regex && t.text.startsWith('/'))) return undefined;
  return t.text;
}

/** Earlier records by the texts of one field: those with an unquoted "all" and those per text. */
class FieldIndex {
  readonly all: number[] = [];
  readonly byText = new Map<string, number[]>();
  add(id: number, tokens: readonly HbaToken[]): void {
    if (tokens.some((t) => kw(t, 'all'))) this.all.push(id);
    for (const t of tokens) {
      const list = this.byText.get(t.text);
      if (!list) this.byText.set(t.text, [id]);
      else if (list[list.length - 1] !== id) list.push(id);
    }
  }
}

/**
 * The first earlier record that covers each one. Only the earlier records that could cover it are
 * compared: a plain database (user) name is covered only by "all" or a token of the same text, so
 * two indexes give the candidates in line order; a file of distinct names is then linear. What
 * the indexes cannot narrow (every line "all all") is compared pair by pair up to
 * MAX_SHADOW_COMPARISONS, then the check stops and says where.
 */
export function findShadowed(records: readonly HbaRecord[], major: number): ShadowCheck {
  const regex = major >= 16;
  const out: ShadowedRecord[] = [];
  const dbs = new FieldIndex();
  const users = new FieldIndex();
  let budget = MAX_SHADOW_COMPARISONS;
  for (let j = 0; j < records.length; j++) {
    const b = records[j]!;
    const dbText = plainText(b.databases[0], regex);
    const userText = plainText(b.users[0], regex);
    const viaDb = dbText === undefined ? undefined : [dbs.all, dbs.byText.get(dbText) ?? []];
    const viaUser = userText === undefined ? undefined : [users.all, users.byText.get(userText) ?? []];
    const size = (l: number[][] | undefined) => (l ? (l[0]?.length ?? 0) + (l[1]?.length ?? 0) : j);
    const lists = size(viaDb) <= size(viaUser) ? viaDb : viaUser;
    let by: HbaRecord | undefined;
    if (lists) {
      // Merge the two ascending id lists: the first covering record in line order.
      const [x = [], y = []] = lists;
      let i = 0;
      let k = 0;
      let last = -1;
      while ((i < x.length || k < y.length) && budget > 0) {
        const id = k >= y.length || (i < x.length && x[i]! <= y[k]!) ? x[i++]! : y[k++]!;
        if (id === last) continue; // in both lists: compared once
        last = id;
        budget--;
        if (recordCovers(records[id]!, b, major)) {
          by = records[id];
          break;
        }
      }
    } else {
      for (let i = 0; i < j && budget > 0; i++) {
        budget--;
        if (recordCovers(records[i]!, b, major)) {
          by = records[i];
          break;
        }
      }
    }
    if (budget <= 0 && !by) return { shadowed: out, stoppedAt: b };
    if (by) out.push({ record: b, by });
    dbs.add(j, b.databases);
    users.add(j, b.users);
  }
  return { shadowed: out };
}
