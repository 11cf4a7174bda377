// The explorer as a test reads it: the extension's test channel, and tree items as text.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PgdbaApi } from '../../../src/extension';
import type { TestChannel } from '../../../src/vscode/testChannel';
import type { ExplorerNode } from '../../../src/vscode/explorer/node';

/** The extension's test channel (on under a test runner: ExtensionMode.Test). */
export async function api(): Promise<TestChannel> {
  const ext = vscode.extensions.getExtension<PgdbaApi>('pgdba.pgdba');
  assert.ok(ext);
  const channel = (await ext.activate()).test;
  assert.ok(channel, 'the test channel is off: run the e2e suite through test/e2e/runE2e.ts or runDesktop.ts');
  return channel;
}

/** A tree item's label or tooltip as text (they may be TreeItemLabel / MarkdownString objects). */
export function text(v: string | vscode.TreeItemLabel | vscode.MarkdownString | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return 'label' in v ? v.label : v.value;
}

/** The child with that label; a server still "connecting…" (its read past the root's wait) once its read has ended. */
export async function child(a: TestChannel, parent: ExplorerNode | undefined, label: RegExp): Promise<ExplorerNode> {
  for (let attempt = 1; ; attempt++) {
    const kids = await a.explorer.getChildren(parent);
    const found = kids.find((k) => label.test(text(k.item().label)));
    assert.ok(found, `no child ${label} under ${parent?.id ?? 'the root'}: ${kids.map((k) => text(k.item().label)).join(', ')}`);
    const connecting = () => found.item().contextValue === 'pgdba.server.connecting';
    if (!connecting()) return found;
    await found.children?.();
    // Still connecting: a newer read of the root took its place (a settings change), read it again.
    if (!connecting() || attempt === 5) return found;
  }
}

/**
 * TreeView.reveal, tried again when VS Code's extension host raced itself: a reveal that must fetch
 * a parent's children while a refresh the extension fired (a late health-alert count, say) fetches
 * them too registers the same ids twice, and the later one fails with "Element with id … is already
 * registered". The earlier one's nodes are then in place, so the next reveal finds them.
 */
export async function reveal(a: TestChannel, node: ExplorerNode, options: { select?: boolean; focus?: boolean; expand?: boolean | number }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await a.explorer.view?.reveal(node, options);
      return;
    } catch (e) {
      if (attempt === 3 || !/is already registered/.test(e instanceof Error ? e.message : String(e))) throw e;
      console.log(`  | reveal of ${node.id} met a tree refresh (${e instanceof Error ? e.message : String(e)}): once more`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
