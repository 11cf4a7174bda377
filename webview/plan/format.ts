// Numbers as a DBA reads them.

export function ms(v: number | undefined): string {
  if (v === undefined) return '–';
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 100) return `${v.toFixed(0)} ms`;
  if (v >= 1) return `${v.toFixed(1)} ms`;
  return `${v.toFixed(3)} ms`;
}

export function count(v: number | undefined): string {
  if (v === undefined) return '–';
  if (v >= 1e9) return `${(v / 1e9).toFixed(1)}G`;
  if (v >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (v >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(2);
}

/** 8 kB blocks → bytes, as a size. */
export function blocks(n: number): string {
  const bytes = n * 8192;
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(1)} GB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MB`;
  return `${(bytes / 1024).toFixed(0)} kB`;
}

export function bufferLine(hit: number, read: number, temp: number): string {
  const parts: string[] = [];
  // A zero says nothing: "hit 4", "read 12", "hit 4 · read 12".
  if (hit) parts.push(`hit ${count(hit)}`);
  if (read) parts.push(`read ${count(read)}`);
  if (temp) parts.push(`temp ${count(temp)}`);
  return parts.join(' · ');
}

/** "−30.1 ms (3.0× faster)": words for less/more of a quantity (time: faster/slower). */
export function delta(a: number | undefined, b: number | undefined, unit: (v: number) => string, words: [string, string] = ['less', 'more']): string {
  if (a === undefined || b === undefined) return '';
  const d = b - a;
  const ratio = a > 0 ? b / a : undefined;
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  const times =
    ratio !== undefined && ratio > 0 && d !== 0 ? ` (${ratio >= 1 ? `${ratio.toFixed(1)}× ${words[1]}` : `${(1 / ratio).toFixed(1)}× ${words[0]}`})` : '';
  return `${sign}${unit(Math.abs(d))}${times}`;
}
