// Numeric IP addresses and masks as pg_hba.conf accepts them (PostgreSQL resolves the address
// field with getaddrinfo(AI_NUMERICHOST); a CIDR suffix is 0..32 or 0..128). Pure, no DNS.

export type IpFamily = 4 | 6;

export interface IpValue {
  family: IpFamily;
  /** 4 or 16 bytes, network order. */
  bytes: number[];
}

/** Dotted-quad IPv4 ("192.168.0.1"): four decimal parts 0..255. */
export function parseIPv4(s: string): IpValue | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return { family: 4, bytes };
}

/** IPv6 text form, with "::" compression, an embedded IPv4 tail and an optional %zone. */
export function parseIPv6(input: string): IpValue | undefined {
  const s = input.replace(/%[^%]+$/, '');
  if (!/^[0-9A-Fa-f:.]+$/.test(s) || !s.includes(':')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (text: string): number[] | undefined => {
    if (text === '') return [];
    const out: number[] = [];
    const parts = text.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] ?? '';
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4(p);
        if (!v4) return undefined;
        const [a = 0, b = 0, c = 0, d = 0] = v4.bytes;
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        if (!/^[0-9A-Fa-f]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  let words: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    words = head;
  }
  const bytes: number[] = [];
  for (const w of words) bytes.push(w >> 8, w & 0xff);
  return { family: 6, bytes };
}

export function parseIp(s: string): IpValue | undefined {
  return parseIPv4(s) ?? parseIPv6(s);
}

/** True when the text is clearly meant as a numeric address (digits and dots, or has a colon). */
export function looksNumeric(s: string): boolean {
  return /^[\d.]+$/.test(s) || s.includes(':');
}

/** A mask of `bits` leading ones, or undefined when bits is not an integer in range. */
export function cidrMask(bitsText: string, family: IpFamily): number[] | undefined {
  if (!/^\d+$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  const total = family === 4 ? 32 : 128;
  if (bits > total) return undefined;
  return maskFromPrefix(bits, family);
}

function maskFromPrefix(bits: number, family: IpFamily): number[] {
  const len = family === 4 ? 4 : 16;
  const out: number[] = [];
  for (let i = 0; i < len; i++) {
    const b = Math.max(0, Math.min(8, bits - i * 8));
    out.push(b === 0 ? 0 : (0xff << (8 - b)) & 0xff);
  }
  return out;
}

/** Prefix length when the mask is contiguous ones, else undefined. */
export function prefixLength(mask: number[]): number | undefined {
  let bits = 0;
  let ended = false;
  for (const byte of mask) {
    for (let i = 7; i >= 0; i--) {
      const one = (byte >> i) & 1;
      if (one && ended) return undefined;
      if (one) bits++;
      else ended = true;
    }
  }
  return bits;
}

/** Does the range (a, aMask) contain every address of (b, bMask)? Same family required. */
export function rangeCovers(a: IpValue, aMask: number[], b: IpValue, bMask: number[]): boolean {
  if (a.family !== b.family) return false;
  for (let i = 0; i < a.bytes.length; i++) {
    const am = aMask[i] ?? 0;
    const bm = bMask[i] ?? 0;
    if ((am & bm) !== am) return false; // a fixes a bit that b leaves free
    if (((a.bytes[i] ?? 0) & am) !== ((b.bytes[i] ?? 0) & am)) return false;
  }
  return true;
}

export function isZeroMask(mask: number[]): boolean {
  return mask.every((b) => b === 0);
}
