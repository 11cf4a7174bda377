// Rows as a Markdown table: how the tree opens a list as a read-only document, and how reports
// print results. Cells are escaped so that a '|' or a newline in a query cannot break the table.

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s =
    typeof v === 'string'
      ? v
      : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint'
        ? String(v)
        : Array.isArray(v)
          ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ')
          : (JSON.stringify(v) ?? '');
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function toMarkdownTable(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  if (columns.length === 0) return '_no columns_\n';
  const lines = [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${columns.map((c) => cell(r[c])).join(' | ')} |`);
  return lines.join('\n') + '\n';
}
