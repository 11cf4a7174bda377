// What every bench shares: the median of its runs and its numeric flags.

/** The median (the mean of the middle two for an even count); NaN for no runs. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  if (s.length === 0) return Number.NaN;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** `--name N` from the command line, or `fallback` when absent or not a positive number. */
export function numberArg(name: string, fallback: number, argv: readonly string[] = process.argv.slice(2)): number {
  const i = argv.indexOf(name);
  const n = i >= 0 ? Number(argv[i + 1]) : Number.NaN;
  return n > 0 ? n : fallback;
}
