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

export function findShadowed(records: readonly HbaRecord[], major: number): ShadowedRecord[] {
  const out: ShadowedRecord[] = [];
  records.forEach((b, j) => {
    const by = records.slice(0, j).find((a) => recordCovers(a, b, major));
    if (by) out.push({ record: b, by });
  });
  return out;
}
