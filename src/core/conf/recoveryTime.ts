// recovery_target_time as its check hook reads it: the timestamptz input parser (ParseDateTime +
// DecodeDateTime), which must find a date, minus the words now, today, tomorrow and yesterday
// (spelt exactly so: 'NOW' passes) and the special values epoch and ±infinity. pgdba decides only
// what does not depend on the server's settings: ISO 8601 (YYYY-MM-DD, a time, Z / UTC / GMT or a
// numeric offset) field by field, and text with no digit at all, which can name no date. The rest
// (month names, 01/02/2024 read by DateStyle, zone abbreviations of timezone_abbreviations, zone
// names, Julian days …) is the server's to say: 'undecided', never a guess.

export type RecoveryTimeVerdict = { ok: true } | { ok: false; why: string } | 'undecided';

/** Date, then optionally a time and then optionally its zone: Z, UTC, GMT, ±hhmm or ±h[h][:mm[:ss]]. */
const ISO =
  /^[ \t\n\r\f\v]*(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:[ \t]*(?:[Zz]|[Uu][Tt][Cc]|[Gg][Mm][Tt]|[+-](?:(\d{2})(\d{2})|(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?)))?)?[ \t\n\r\f\v]*$/;
/** An offset may be at most 15 hours (MAX_TZDISP_HOUR). */
const MAX_OFFSET_HOURS = 15;

const daysIn = (y: number, m: number): number => (m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

export function recoveryTimeVerdict(value: string): RecoveryTimeVerdict {
  if (value === '') return { ok: true };
  if (['now', 'today', 'tomorrow', 'yesterday'].includes(value)) {
    return { ok: false, why: 'is a time read when the server starts, not a fixed point to recover to' };
  }
  if (value.length > 256) return 'undecided';
  if (!/[0-9]/.test(value)) {
    // No digit: only a relative word (now, today … in another spelling) could give a date.
    if (/now|today|tomorrow|yesterday/i.test(value)) return 'undecided';
    return { ok: false, why: /^\s*(epoch|[+-]?infinity)\s*$/i.test(value) ? 'is a special value, not a point in time' : 'holds no date' };
  }
  const m = ISO.exec(value);
  if (!m) return 'undecided';
  const [, y, mo, d, h, mi, s, frac, offH4, offM4, offH, offM, offS] = m;
  const n = (x: string | undefined): number => (x === undefined ? 0 : Number(x));
  const year = n(y);
  const month = n(mo);
  const day = n(d);
  const bad = (what: string): RecoveryTimeVerdict => ({ ok: false, why: `has ${what}` });
  if (year === 0) return bad('year 0, which does not exist (1 BC precedes 1 AD)');
  if (month < 1 || month > 12) return bad(`month ${month}`);
  if (day < 1 || day > daysIn(year, month)) return bad(`day ${day}, which ${year}-${String(month).padStart(2, '0')} does not have`);
  const hour = n(h);
  const minute = n(mi);
  const second = n(s);
  const fraction = frac !== undefined && /[1-9]/.test(frac);
  // 23:59:60 (a leap second) passes; with a fraction the rounding decides
  if (second === 60 && fraction) return 'undecided';
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0 || fraction))) {
    return bad(`the time ${h}:${mi}${s !== undefined ? ':' + s : ''}, past 24:00:00`);
  }
  const oh = n(offH4 ?? offH);
  const om = n(offM4 ?? offM);
  if (oh > MAX_OFFSET_HOURS || om > 59 || n(offS) > 59) return bad(`an offset beyond ±${MAX_OFFSET_HOURS}:59:59`);
  return { ok: true };
}
