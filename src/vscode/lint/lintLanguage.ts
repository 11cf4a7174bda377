// Hover and completion for the three config languages: core data (src/core/lint/paramInfo.ts)
// turned into Markdown and CompletionItems. The core module is loaded on first use.
import * as vscode from 'vscode';
import type { LintEnvironment } from './lintEnvironment';
import type { Completion, ParamInfo } from '../../core/lint/paramInfo';

const core = () => import('./lintLanguageCore');

/** The [section] a pgbouncer.ini line is in. */
function sectionAt(doc: vscode.TextDocument, line: number): string | undefined {
  for (let i = line; i >= 0; i--) {
    const m = /^\s*\[([^\]]*)\]/.exec(doc.lineAt(i).text);
    if (m) return m[1];
  }
  return undefined;
}

/** Markdown-escaped text (appendText would also turn every space into &nbsp;). */
const esc = (t: string) => t.replace(/[\\`*_{}[\]()#+\-!|<>]/g, '\\$&');

function markdown(info: ParamInfo): vscode.MarkdownString {
  const lines = [`**${esc(info.name)}**`, '', esc(info.description), ''];
  for (const f of info.facts) lines.push(`*${esc(f.label)}:* ${esc(f.value)}  `);
  if (info.recommendation) lines.push('', `*Recommended:* ${esc(info.recommendation)}`);
  return new vscode.MarkdownString(lines.join('\n'));
}

const KIND: Record<Completion['kind'], vscode.CompletionItemKind> = {
  name: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.EnumMember,
  keyword: vscode.CompletionItemKind.Keyword,
};

export class LintHover implements vscode.HoverProvider {
  constructor(private readonly env: LintEnvironment) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const range = doc.getWordRangeAtPosition(pos, /[A-Za-z_][\w.-]*/);
    if (!range) return undefined;
    const word = doc.getText(range);
    const { infoFor } = await core();
    const info = infoFor(doc, word, this.env.config(), sectionAt(doc, pos.line), this.env.hostFacts());
    return info ? new vscode.Hover(markdown(info), range) : undefined;
  }
}

export class LintCompletion implements vscode.CompletionItemProvider {
  constructor(private readonly env: LintEnvironment) {}

  async provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.CompletionItem[]> {
    const before = doc.lineAt(pos.line).text.slice(0, pos.character);
    if (/#|^\s*;/.test(before)) return [];
    const { completionsFor } = await core();
    return completionsFor(doc, before, this.env.config(), sectionAt(doc, pos.line)).map((c) => {
      const item = new vscode.CompletionItem(c.label, KIND[c.kind]);
      item.detail = c.detail;
      if (c.documentation) item.documentation = c.documentation;
      return item;
    });
  }
}
