// The explorer as a test reads it: the extension's API, and tree items as text.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PgdbaApi } from '../../../src/extension';
import type { ExplorerNode } from '../../../src/vscode/explorer/node';

export async function api(): Promise<PgdbaApi> {
  const ext = vscode.extensions.getExtension<PgdbaApi>('pgdba.pgdba');
  assert.ok(ext);
  return ext.activate();
}

/** A tree item's label or tooltip as text (they may be TreeItemLabel / MarkdownString objects). */
export function text(v: string | vscode.TreeItemLabel | vscode.MarkdownString | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return 'label' in v ? v.label : v.value;
}

export async function child(a: PgdbaApi, parent: ExplorerNode | undefined, label: RegExp): Promise<ExplorerNode> {
  const kids = await a.explorer.getChildren(parent);
  const found = kids.find((k) => label.test(text(k.item().label)));
  assert.ok(found, `no child ${label} under ${parent?.id ?? 'the root'}: ${kids.map((k) => text(k.item().label)).join(', ')}`);
  return found;
}
