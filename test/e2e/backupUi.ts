// Delete Backup driven as a person, from the runner's second window (VS Code refuses modal
// dialogs in a test window): right-click a backup under Backups → Delete Backup… → the modal
// names the file → Delete → the file and its manifest are gone. Cancel first: nothing deleted.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { TestRecord } from './protocol';
import { clickViewButton, contextAction, expand, row } from './sidebarUi';

/** A file named like a backup of database `e2e_ui`, 2 hours old by its name; and its manifest. */
export function placeUiBackup(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const at = new Date(Date.now() - 2 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const file = join(
    dir,
    `e2e_ui-${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}_${p(at.getHours())}-${p(at.getMinutes())}-${p(at.getSeconds())}.dump`,
  );
  writeFileSync(file, 'PGDMP (a stand-in: this check only deletes it)');
  writeFileSync(`${file}.manifest.json`, JSON.stringify({ pgdbaManifest: 1, file: file.split('/').pop(), database: 'e2e_ui' }));
  return file;
}

/** Right-click → Delete Backup…, until its modal shows. */
function deleteFromMenu(page: Page, target: Locator, dialogText: string): Promise<void> {
  return contextAction(page, target, 'Delete Backup', page.getByText(dialogText).first());
}

export async function checkBackupDelete(page: Page, profile: string, file: string, resultsDir: string): Promise<TestRecord> {
  const name = 'ui › backups: Delete Backup on a backup node asks in a modal dialog; Cancel keeps the file, Delete removes it and its manifest';
  const started = Date.now();
  const shot = join(resultsDir, 'e2e-backup-delete.png');
  try {
    const base = file.split('/').pop()!;
    await clickViewButton(page, /Collapse All/);
    await clickViewButton(page, /Refresh/);
    await expand(page, profile);
    await expand(page, 'Backups');
    const node = row(page, /^e2e_ui · /);
    await node.waitFor({ state: 'visible', timeout: 30_000 });
    await deleteFromMenu(page, node, `Delete backup ${base}?`);
    await page.getByRole('button', { name: 'Cancel', exact: true }).first().click();
    await page.waitForTimeout(500);
    if (!existsSync(file)) throw new Error('Cancel in the dialog deleted the file');
    await deleteFromMenu(page, node, `Delete backup ${base}?`);
    await page.screenshot({ path: shot });
    await page.getByRole('button', { name: 'Delete', exact: true }).first().click();
    // The product unlinks the file, then its manifest: wait for both, not only the first.
    const left = () => existsSync(file) || existsSync(`${file}.manifest.json`);
    for (let i = 0; i < 50 && left(); i++) await page.waitForTimeout(200);
    if (left()) throw new Error('Delete left the file or its manifest');
    await row(page, /^e2e_ui · /).waitFor({ state: 'detached', timeout: 15_000 });
    return { name, state: 'passed', durationMs: Date.now() - started };
  } catch (e) {
    const fail = join(resultsDir, 'e2e-backup-delete-failed.png');
    await page.screenshot({ path: fail }).catch(() => undefined);
    return { name, state: 'failed', durationMs: Date.now() - started, error: `${(e as Error).message.split('\n')[0]}\n(screenshot: ${fail})` };
  }
}
