// What PostgreSQL's check_timezone / check_log_timezone accept: a zone of the server's tzdata
// (found case-insensitively, as pg_open_tzfile does), else a POSIX TZ spec read as the server's
// tzparse reads it (which, unlike IANA's, allows an empty standard abbreviation: '-03:00' is
// offset 3 hours) and without seconds in the offset (pg_tz_acceptable takes a zone whose midnight
// has seconds for one with leap seconds). TimeZone also takes a number of hours ('-3.5') and
// `interval '…'` of hours, minutes and seconds.
import { strtod } from './confNumber';

/** pg_tzset refuses longer names (TZ_STRLEN_MAX). */
const TZ_STRLEN_MAX = 255;

export function timeZoneAccepted(value: string, zones: ReadonlyMap<string, string>, param: 'timezone' | 'log_timezone'): boolean {
  if (param === 'timezone') {
    if (value.slice(0, 8).toLowerCase() === 'interval') return intervalZone(value.slice(8));
    const n = strtod(value);
    if (n.end > 0 && n.end === value.length) return true;
  }
  if (value.length > TZ_STRLEN_MAX) return false;
  // tzload drops one leading ':' before it looks in tzdata; tzparse is not tried then
  if (value[0] === ':') return zones.has(value.slice(1).toLowerCase());
  return zones.has(value.toLowerCase()) || posixTz(value.toUpperCase());
}

const INTERVAL_UNIT = /^(us|usecs?|microseconds?|ms|msecs?|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)$/i;

/**
 * `interval '…'` as check_timezone takes it: one quoted interval of hours, minutes and seconds
 * ('1 hour 30 minutes', '-05:30'); months and days are refused. A conservative reading of
 * interval_in: what it does not recognise it reports, so a valid exotic spelling may be flagged.
 */
function intervalZone(rest: string): boolean {
  const m = /^\s*'([^']*)'$/.exec(rest);
  if (!m?.[1]) return false;
  const words = m[1].trim().split(/\s+/);
  if (words[words.length - 1]?.toLowerCase() === 'ago') words.pop();
  if (words.length === 0) return false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (/^[+-]?\d+(:\d+){1,2}(\.\d+)?$/.test(w)) continue;
    const num = /^([+-]?\d+(?:\.\d+)?)([a-z]*)$/i.exec(w);
    if (!num) return false;
    const unit = num[2] || words[++i] || '';
    if (!INTERVAL_UNIT.test(unit)) return false;
  }
  return true;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** A cursor over the spec: each reader returns false and stops on what tzparse refuses. */
class Spec {
  i = 0;
  constructor(readonly s: string) {}
  get c(): string | undefined {
    return this.s[this.i];
  }
  /** getzname / getqzname; returns the abbreviation's length, or -1 for an unclosed '<'. */
  zoneName(): number {
    if (this.c === '<') {
      const close = this.s.indexOf('>', this.i + 1);
      if (close < 0) return -1;
      const len = close - this.i - 1;
      this.i = close + 1;
      return len;
    }
    const start = this.i;
    while (this.c !== undefined && !isDigit(this.c) && this.c !== ',' && this.c !== '-' && this.c !== '+') this.i++;
    return this.i - start;
  }
  num(min: number, max: number): boolean {
    if (!isDigit(this.c)) return false;
    let v = 0;
    while (isDigit(this.c)) {
      v = v * 10 + Number(this.c);
      if (v > max) return false;
      this.i++;
    }
    return v >= min;
  }
  /** getoffset: [+-]hh[:mm[:ss]], hours up to a week. */
  offset(): boolean {
    if (this.c === '+' || this.c === '-') this.i++;
    if (!this.num(0, 24 * 7 - 1)) return false;
    for (const max of [59, 60]) {
      if (this.c !== ':') break;
      this.i++;
      if (!this.num(0, max)) return false;
    }
    return true;
  }
  /** getrule: Jn, n or Mm.w.d, then an optional /time. */
  rule(): boolean {
    if (this.c === 'J') {
      this.i++;
      if (!this.num(1, 365)) return false;
    } else if (isDigit(this.c)) {
      if (!this.num(0, 365)) return false;
    } else if (this.c === 'M') {
      this.i++;
      if (!this.num(1, 12) || this.s[this.i++] !== '.' || !this.num(1, 5) || this.s[this.i++] !== '.' || !this.num(0, 6)) return false;
    } else return false;
    if (this.c === '/') {
      this.i++;
      return this.offset();
    }
    return true;
  }
}

/** tzparse(name, sp, false) on the upper-cased name. */
export function posixTz(name: string): boolean {
  const p = new Spec(name);
  if (p.zoneName() < 0) return false;
  if (p.c === undefined) return false; // an abbreviation alone ('UNKNOWN', 'Z') has no offset
  const offsetStart = p.i;
  if (!p.offset()) return false;
  if (/:\d+:0*[1-9]/.test(p.s.slice(offsetStart, p.i))) return false; // seconds in the offset: refused as leap-second time
  if (p.c === undefined) return true;
  if (p.zoneName() <= 0) return false;
  if (p.c !== undefined && p.c !== ',' && p.c !== ';' && !p.offset()) return false;
  if (p.c === undefined) return true; // the default DST rules apply
  if (p.c !== ',' && p.c !== ';') return false;
  p.i++;
  if (!p.rule() || p.s[p.i++] !== ',' || !p.rule()) return false;
  return p.c === undefined;
}
