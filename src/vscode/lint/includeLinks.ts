// include and include_if_exists in postgresql.conf as links to the file they pull in: a click
// opens it where the including file is (the server's machine for a pgdba-server document, this
// disk for a local one), the path resolved as the server resolves it (against the including
// file's directory). include_dir names a directory, which is no document: it has no link.
import * as vscode from 'vscode';
import { posix } from 'node:path';
import { toRange } from './lintRange';

const parser = () => import('../../core/conf/confParser');
const includes = () => import('../../core/conf/confIncludes');

export class IncludeLinks implements vscode.DocumentLinkProvider {
  async provideDocumentLinks(doc: vscode.TextDocument): Promise<vscode.DocumentLink[]> {
    const [{ parseConf }, { joinPath }] = await Promise.all([parser(), includes()]);
    const dir = posix.dirname(doc.uri.path);
    const links: vscode.DocumentLink[] = [];
    for (const item of parseConf(doc.getText()).items) {
      if (item.kind !== 'include' && item.kind !== 'include_if_exists') continue;
      const link = new vscode.DocumentLink(toRange(item.pathRange), doc.uri.with({ path: joinPath(dir, item.path) }));
      link.tooltip = `Open ${item.path}`;
      links.push(link);
    }
    return links;
  }
}
