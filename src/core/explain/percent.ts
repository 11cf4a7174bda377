// A share as a percentage that never says 100% or 0% unless it is: 40 rows kept of 200,000 read
// is "99.98% filtered out", not "100.0%". More digits only where rounding would hide the rest.

/** Most decimals shown before falling back to "> 99.99%" / "< 0.01%". */
const MAX_DIGITS = 2;

export function percent(part: number, whole: number, digits = 1): string {
  if (!(whole > 0) || !Number.isFinite(part)) return '–';
  if (part <= 0) return '0%';
  if (part >= whole) return part === whole ? '100%' : `${((100 * part) / whole).toFixed(digits)}%`;
  const p = (100 * part) / whole;
  for (let d = digits; d <= MAX_DIGITS; d++) {
    const s = p.toFixed(d);
    if (Number(s) > 0 && Number(s) < 100) return `${s}%`;
  }
  const floor = 10 ** -MAX_DIGITS;
  return p < 50 ? `< ${floor.toFixed(MAX_DIGITS)}%` : `> ${(100 - floor).toFixed(MAX_DIGITS)}%`;
}
