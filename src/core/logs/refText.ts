// Short words for report values, the same in the rendered report and the panel: a count map's
// largest entries, and a log line's reference.

/** "alice (12), bob (3)": the `n` largest counts. */
export const topCounts = (m: Record<string, number>, n = 3): string =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} (${v})`)
    .join(', ');

/** "postgresql.log:42": the file's name and the line. */
export const refText = (r: { file: string; line: number }): string => `${r.file.slice(r.file.lastIndexOf('/') + 1)}:${r.line}`;
