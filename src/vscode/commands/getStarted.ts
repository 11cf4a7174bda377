import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

/** The walkthrough's id as VS Code knows it: `<publisher>.<name>#<walkthrough id>` (package.json). */
export function walkthroughId(extension: vscode.ExtensionContext['extension']): string {
  return `${extension.id}#pgdba.gettingStarted`;
}

/** Opens pgdba's walkthrough (contributes.walkthroughs), whose steps check themselves off (walkthrough.ts). */
export const getStarted = (ctx: Ctx) => async () => {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughId(ctx.extension.extension), false);
};
