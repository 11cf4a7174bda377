// Output formats of `pgdba lint`: text lines, a JSON array of findings, SARIF 2.1.0.
import type { Finding } from '../core/lint/finding';
import { ruleTitle } from '../core/lint/ruleTitles';
import { terminalJson, terminalText } from '../core/terminalText';

export function formatText(findings: readonly Finding[]): string {
  return findings.map((f) => `${terminalText(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}`)}\n`).join('');
}

export function formatJson(findings: readonly Finding[]): string {
  return terminalJson(findings) + '\n';
}

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;
const DOCS = 'docs/lint-rules.md';

/** SARIF 2.1.0 for code-scanning tools: one run, the rules that fired, one result per finding. */
export function formatSarif(findings: readonly Finding[], version: string): string {
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  const rules = codes.map((id) => {
    const first = findings.find((f) => f.code === id);
    const title = ruleTitle(id) ?? firstSentence(first?.message ?? id);
    return {
      id,
      name: id,
      shortDescription: { text: title },
      fullDescription: { text: `${title}. See ${DOCS}, section ${id}.` },
      help: {
        text: `${title}. Every pgdba lint code is documented in ${DOCS} (section ${id}).`,
        markdown: `**${id}**: ${title}. See [${DOCS}](${DOCS}#${id.toLowerCase()}).`,
      },
      defaultConfiguration: { level: LEVEL[first?.severity ?? 'warning'] },
    };
  });
  const results = findings.map((f) => ({
    ruleId: f.code,
    ruleIndex: codes.indexOf(f.code),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(f.file) },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: Math.max(f.endColumn, f.column) },
        },
      },
    ],
    ...(f.fix
      ? {
          fixes: [
            {
              description: { text: f.fix.title },
              artifactChanges: [
                {
                  artifactLocation: { uri: toUri(f.file) },
                  replacements: [
                    {
                      deletedRegion: {
                        startLine: f.fix.range.line,
                        startColumn: f.fix.range.column,
                        endLine: f.fix.range.endLine,
                        endColumn: f.fix.range.endColumn,
                      },
                      insertedContent: { text: f.fix.newText },
                    },
                  ],
                },
              ],
            },
          ],
        }
      : {}),
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'pgdba', version, informationUri: 'https://www.postgresql.org/docs/current/runtime-config.html', rules } },
        results,
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return terminalJson(sarif) + '\n';
}

/** Relative paths stay relative (to the repository, for code scanning); absolute ones become file URIs. */
function toUri(path: string): string {
  const p = path.replace(/\\/g, '/');
  const encoded = p.split('/').map(encodeURIComponent).join('/');
  if (p.startsWith('/')) return `file://${encoded}`;
  if (/^[A-Za-z]:\//.test(p)) return `file:///${p.slice(0, 2)}${encoded.slice(p.slice(0, 2).length + 2)}`;
  return encoded;
}

function firstSentence(s: string): string {
  const cut = s.search(/[:;(]/);
  return (cut > 0 ? s.slice(0, cut) : s).trim();
}
