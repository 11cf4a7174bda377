// C's strtol(…, 0) and strtod as glibc implements them in the C locale: PostgreSQL's parse_int
// and parse_real are built on them, so "010" is octal 8, "0x10" is 16, "1e3" and "inf" are
// numbers, and "08" stops after the "0".

export interface CNumber {
  value: number;
  /** Offset just past the number; equal to the start when nothing was converted. */
  end: number;
  /** errno == ERANGE: overflow, or a non-zero value too small for a normal double. */
  erange: boolean;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

export function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** strtol(s, &end, 0) on a 64-bit long. */
export function strtol(s: string, start = 0): CNumber {
  let i = skipSpace(s, start);
  let neg = false;
  const c = s.charCodeAt(i);
  if (c === 43 || c === 45) {
    neg = c === 45;
    i++;
  }
  let base = 10;
  if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 0x20) === 120 && hexVal(s.charCodeAt(i + 2)) >= 0) {
    base = 16;
    i += 2;
  } else if (s.charCodeAt(i) === 48) base = 8;
  const digitsStart = i;
  let v = 0;
  for (;;) {
    const d = hexVal(s.charCodeAt(i));
    if (d < 0 || d >= base) break;
    v = v * base + d;
    i++;
  }
  if (i === digitsStart) return { value: 0, end: start, erange: false };
  return { value: neg ? -v : v, end: i, erange: v > 9223372036854775807 };
}

/** strtod(s, &end). */
export function strtod(s: string, start = 0): CNumber {
  let i = skipSpace(s, start);
  let sign = 1;
  const c = s.charCodeAt(i);
  if (c === 43 || c === 45) {
    if (c === 45) sign = -1;
    i++;
  }
  const rest = s.slice(i, i + 8).toLowerCase();
  if (rest.startsWith('inf')) {
    return { value: sign * Infinity, end: i + (rest.startsWith('infinity') ? 8 : 3), erange: false };
  }
  if (rest.startsWith('nan')) {
    let e = i + 3;
    if (s.charCodeAt(e) === 40 /* ( */) {
      let k = e + 1;
      while (k < s.length && /[A-Za-z0-9_]/.test(s[k] as string)) k++;
      if (s.charCodeAt(k) === 41) e = k + 1;
    }
    return { value: NaN, end: e, erange: false };
  }
  if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 0x20) === 120) {
    const hex = hexFloat(s, i + 2);
    if (hex) return finish(sign * hex.value, hex.end, hex.nonzero);
  }
  const numStart = i;
  let digits = 0;
  let nonzero = false;
  while (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
    if (s.charCodeAt(i) !== 48) nonzero = true;
    i++;
    digits++;
  }
  if (s.charCodeAt(i) === 46) {
    i++;
    while (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
      if (s.charCodeAt(i) !== 48) nonzero = true;
      i++;
      digits++;
    }
  }
  if (digits === 0) return { value: 0, end: start, erange: false };
  let end = i;
  if ((s.charCodeAt(i) | 0x20) === 101) {
    let k = i + 1;
    if (s.charCodeAt(k) === 43 || s.charCodeAt(k) === 45) k++;
    if (s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57) {
      while (s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57) k++;
      end = k;
    }
  }
  return finish(sign * Number(s.slice(numStart, end)), end, nonzero);
}

function finish(value: number, end: number, nonzero: boolean): CNumber {
  const erange = !Number.isFinite(value) || (nonzero && Math.abs(value) < 2.2250738585072014e-308);
  return { value, end, erange };
}

function hexFloat(s: string, i: number): { value: number; end: number; nonzero: boolean } | undefined {
  let mant = 0;
  let exp = 0;
  let digits = 0;
  while (hexVal(s.charCodeAt(i)) >= 0) {
    mant = mant * 16 + hexVal(s.charCodeAt(i));
    i++;
    digits++;
  }
  if (s.charCodeAt(i) === 46) {
    i++;
    while (hexVal(s.charCodeAt(i)) >= 0) {
      mant = mant * 16 + hexVal(s.charCodeAt(i));
      exp -= 4;
      i++;
      digits++;
    }
  }
  if (digits === 0) return undefined;
  if ((s.charCodeAt(i) | 0x20) === 112) {
    let k = i + 1;
    let esign = 1;
    if (s.charCodeAt(k) === 43 || s.charCodeAt(k) === 45) {
      if (s.charCodeAt(k) === 45) esign = -1;
      k++;
    }
    if (s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57) {
      let e = 0;
      while (s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57) e = Math.min(1e6, e * 10 + s.charCodeAt(k++) - 48);
      exp += esign * e;
      i = k;
    }
  }
  return { value: mant * Math.pow(2, exp), end: i, nonzero: mant !== 0 };
}

/** C's rint in the default rounding mode: halves go to the even neighbour. */
export function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}
