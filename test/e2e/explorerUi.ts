// The Servers view driven as a person, from the runner's second window (VS Code refuses modal
// dialogs in a test window): right-click a setting → Edit Value → type → confirm → the server has
// it; right-click a blocked session → Cancel Query → confirm → its query is cancelled.
import { join } from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { openActivityBarView } from '../../scripts/lib/workbenchUi';
import type { TestRecord } from './protocol';
import { clickViewButton, contextAction, expand, row } from './sidebarUi';

async function check(name: string, page: Page, resultsDir: string, shotName: string, body: () => Promise<void>): Promise<TestRecord> {
  const started = Date.now();
  const shot = join(resultsDir, `${shotName}.png`);
  try {
    await body();
    await page.screenshot({ path: shot });
    return { name, state: 'passed', durationMs: Date.now() - started };
  } catch (e) {
    await page.screenshot({ path: shot }).catch(() => undefined);
    return { name, state: 'failed', durationMs: Date.now() - started, error: `${(e as Error).message.split('\n')[0]}\n(screenshot: ${shot})` };
  }
}

export async function checkExplorerActions(page: Page, serverUrl: string, profile: string, resultsDir: string): Promise<TestRecord[]> {
  const results: TestRecord[] = [];
  await openActivityBarView(page, /PostgreSQL DBA/);
  await expand(page, profile);

  results.push(
    await check(
      'ui › explorer: Edit Value on a sighup setting runs ALTER SYSTEM + reload after confirmation',
      page,
      resultsDir,
      'e2e-edit-setting',
      async () => {
        await expand(page, 'Configuration');
        await expand(page, 'Autovacuum');
        const input = page.locator('.quick-input-widget input');
        await contextAction(page, row(page, 'autovacuum_naptime'), 'Edit Value', input);
        await input.fill('42s');
        await page.keyboard.press('Enter');
        await page.getByText('Change autovacuum_naptime').first().waitFor({ state: 'visible', timeout: 10_000 });
        await page.screenshot({ path: join(resultsDir, 'e2e-edit-setting-confirm.png') });
        await page.getByRole('button', { name: 'Apply', exact: true }).click();
        await page
          .locator('.notifications-toasts')
          .getByText(/applies to the whole server/)
          .first()
          .waitFor({ state: 'visible', timeout: 20_000 });
        const c = new pg.Client(serverUrl);
        await c.connect();
        try {
          const v = (await c.query<{ autovacuum_naptime: string }>('SHOW autovacuum_naptime')).rows[0]?.autovacuum_naptime;
          if (v !== '42s') throw new Error(`SHOW autovacuum_naptime gives ${v ?? '?'}, not 42s`);
        } finally {
          await c.query('ALTER SYSTEM RESET autovacuum_naptime');
          await c.query('SELECT pg_reload_conf()');
          await c.end();
        }
      },
    ),
  );

  results.push(
    await check(
      'ui › explorer: Cancel Query on a blocked session in the lock tree cancels it after confirmation',
      page,
      resultsDir,
      'e2e-cancel-session',
      async () => {
        const blocker = new pg.Client(serverUrl);
        const waiter = new pg.Client(serverUrl);
        await blocker.connect();
        await waiter.connect();
        try {
          await blocker.query('CREATE TABLE IF NOT EXISTS e2e_locked (id int)');
          await blocker.query('BEGIN');
          await blocker.query('LOCK TABLE e2e_locked IN ACCESS EXCLUSIVE MODE');
          const pid = (await waiter.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
          const outcome = waiter.query('SELECT count(*) FROM e2e_locked').then(
            () => 'finished',
            (e: { code?: string }) => e.code ?? 'error',
          );
          await clickViewButton(page, /Refresh/);
          // From a collapsed tree: what earlier tests opened (Configuration, Alerts' entries) pushes
          // Activity below the fold, and a refresh restores what was open.
          await clickViewButton(page, /Collapse All/);
          await expand(page, 'e2e');
          await expand(page, 'Activity');
          await expand(page, 'Blocked and blocking sessions');
          const waiterRow = row(page, new RegExp(`^${pid} `));
          // The blocker's node is expanded by default; its child is the waiting session.
          await contextAction(page, waiterRow, 'Cancel Query', page.getByText(`Cancel the query of session ${pid}`).first());
          await page.screenshot({ path: join(resultsDir, 'e2e-cancel-session-confirm.png') });
          await page.getByRole('button', { name: 'Cancel Query', exact: true }).click();
          const result = await Promise.race([outcome, new Promise<string>((r) => setTimeout(() => r('still waiting'), 15_000))]);
          if (result !== '57014') throw new Error(`the blocked query ended with ${result}, not 57014 (canceled)`);
        } finally {
          await blocker.query('ROLLBACK').catch(() => undefined);
          await blocker.end();
          await waiter.end().catch(() => undefined);
        }
      },
    ),
  );
  return results;
}
