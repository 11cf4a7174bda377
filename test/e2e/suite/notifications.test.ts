// The UI driver's notification click where VS Code showed no toast: it drops the toast of a
// notification that comes as the fourth within 800 ms (notificationsToasts.ts, its spam
// protection), and a test that waits on that toast's Cancel (a backup's) would wait in vain. The
// driver then clicks the button in the notification centre, as a person would.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { canScreenshot, skipWithoutBrowser } from './screenshot';
import { ui } from './ui';

suite('notifications', () => {
  test('a cancellable job five notifications into 800 ms (VS Code gives it no toast): its Cancel is clicked, in the notification centre', async function () {
    this.timeout(60_000);
    if (!canScreenshot()) return skipWithoutBrowser(this, 'the click needs a browser');
    const stamp = Date.now();
    for (let i = 1; i <= 4; i++) void vscode.window.showInformationMessage(`burst ${i} of 4 (${stamp})`);
    let cancelled = false;
    const title = `a cancellable job (${stamp})`;
    const job = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (_p, token) =>
        new Promise<void>((done) => {
          const timer = setTimeout(done, 45_000);
          token.onCancellationRequested(() => {
            cancelled = true;
            clearTimeout(timer);
            done();
          });
        }),
    );
    await ui('notifications-centre-cancel', [{ clickInToast: `${title}|Cancel` }]);
    await job;
    assert.ok(cancelled, 'the job was cancelled by the click');
    // The next test's toasts start a window of their own.
    await new Promise((r) => setTimeout(r, 1000));
  });
});
