// Log timestamps ("2026-12-01 16:07:07.461 UTC", "%t" without ms, "+03" zones) to epoch ms.
// The part up to the second is cached: a busy log has many lines per second, so Date.UTC runs
// once a second of log, not once a line.

/** Zone abbreviations PostgreSQL's default timezone_abbreviations gives to common zones, in minutes. */
const ZONES: Record<string, number> = {
  UTC: 0,
  GMT: 0,
  Z: 0,
  UT: 0,
  WET: 0,
  WEST: 60,
  BST: 60,
  IST: 60,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  JST: 540,
  KST: 540,
  AEST: 600,
  AEDT: 660,
  ACST: 570,
  ACDT: 630,
  AWST: 480,
  NZST: 720,
  NZDT: 780,
};

function zoneMinutes(zone: string): number | undefined {
  const named = ZONES[zone];
  if (named !== undefined) return named;
  const m = /^([+-])(\d{1,2})(?::?(\d\d))?$/.exec(zone);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

let cacheKey = '';
let cacheValue: number | undefined;

/** Epoch ms of `YYYY-MM-DD HH:MM:SS[.fff][ ZONE]`, undefined when it is not one. An unknown zone is read as UTC. */
export function parseLogTime(text: string): number | undefined {
  if (text.length < 19) return undefined;
  const dot = text.charCodeAt(19) === 46; // '.'
  const fracEnd = dot ? text.indexOf(' ', 20) : 19;
  const frac = dot ? text.slice(20, fracEnd < 0 ? undefined : fracEnd) : '';
  const zone = fracEnd < 0 || fracEnd >= text.length ? '' : text.slice(fracEnd + 1);
  const key = text.slice(0, 19) + zone;
  if (key !== cacheKey) {
    cacheKey = key;
    const y = Number(text.slice(0, 4));
    const mo = Number(text.slice(5, 7));
    const d = Number(text.slice(8, 10));
    const h = Number(text.slice(11, 13));
    const mi = Number(text.slice(14, 16));
    const s = Number(text.slice(17, 19));
    if (!(y > 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 24 && mi <= 59 && s <= 60)) cacheValue = undefined;
    else cacheValue = Date.UTC(y, mo - 1, d, h, mi, s) - (zoneMinutes(zone) ?? 0) * 60_000;
  }
  if (cacheValue === undefined) return undefined;
  const t = frac ? cacheValue + Math.round(Number(`0.${frac}`) * 1000) : cacheValue;
  // A cut or garbled field (".x", a zone of digits) is no time, never NaN: toISOString would throw.
  return Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? t : undefined;
}
