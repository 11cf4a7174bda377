// One warning toast for all the warnings of one action (src/core/notice.ts says why).
import * as vscode from 'vscode';
import { oneNotice } from '../core/notice';

export function warnAll(lead: string, warnings: readonly string[]): void {
  if (warnings.length) void vscode.window.showWarningMessage(oneNotice(lead, warnings));
}
