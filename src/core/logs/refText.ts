// Short words for report values, the same in the rendered report and the panel: a count map's
// largest entries, and a log line's reference.

/** "alice (12), bob (3)": the `n` largest counts. */
export const topCounts = (m: Record<string, number>, n = 3): string =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} (${v})`)
    .join(', ');

/** What a source read through SQL (pg_read_binary_file) puts before its file's name in its label. */
export const SQL_SOURCE_PREFIX = 'sql:';

/** "postgresql.log:42": the file's name and the line (a source read through SQL without its "sql:"). */
export const refText = (r: { file: string; line: number }): string =>
  `${r.file.startsWith(SQL_SOURCE_PREFIX) ? r.file.slice(SQL_SOURCE_PREFIX.length) : r.file.slice(r.file.lastIndexOf('/') + 1)}:${r.line}`;
