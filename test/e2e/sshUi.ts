// The SSH hop's host-key questions and an sshd outage, driven as a person from the runner's second
// window (VS Code refuses modal dialogs in a test window). A second real sshd whose key the
// extension host's known_hosts does not know; a profile through it is added to the user settings
// (and the window reloaded):
// the modal shows the key's SHA256 fingerprint — Cancel writes nothing and the server shows why,
// Accept and Save adds the key and the server connects. Then that sshd is killed (the server turns
// into an error) and started again (Refresh shows it again); last it comes back with a new key,
// which is refused with both fingerprints.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { fingerprint } from '../../src/core/ssh/knownHosts';
import { startSshServer } from '../support/sshServer';
import type { TestRecord } from './protocol';
import { waitForWorkbench } from '../../scripts/lib/browser';

const SIDEBAR = '[id="workbench.parts.sidebar"]';
const PROFILE = 'e2e-ssh-new';

function row(page: Page, label: string | RegExp): Locator {
  const name = page.locator('.label-name').getByText(label, { exact: typeof label === 'string' });
  return page.locator(SIDEBAR).locator('.monaco-list-row').filter({ has: name }).first();
}

/** The server row's description, once it matches `want` (the tree re-reads on its own: retries, lost connections). */
async function waitForDescription(page: Page, want: RegExp, timeoutMs = 45_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let seen = '';
  for (;;) {
    seen =
      (await row(page, PROFILE)
        .locator('.label-description')
        .textContent({ timeout: 5_000 })
        .catch(() => null)) ?? '';
    if (want.test(seen)) return seen;
    if (Date.now() > until) throw new Error(`${PROFILE}'s row says "${seen}", not ${want}`);
    await page.waitForTimeout(250);
  }
}

async function refresh(page: Page): Promise<void> {
  await page
    .locator(SIDEBAR)
    .getByRole('button', { name: /Refresh/ })
    .first()
    .click();
}

/** The modal's text, once it shows; it asks about the hop at `port`. */
async function hostKeyModal(page: Page, port: number, timeoutMs = 45_000): Promise<Locator> {
  const dialog = page.locator('.monaco-dialog-box').filter({ hasText: `The SSH host 127.0.0.1:${port} is not known yet.` });
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  return dialog;
}

/**
 * The Servers view after a reload: the workbench restores the side bar it had, once the extension's
 * view is known, so the activity bar's tab is clicked only while it is not the selected one (a click
 * on the selected tab would close the side bar).
 */
async function showServersView(page: Page): Promise<void> {
  const tab = page.locator('.activitybar').getByRole('tab', { name: /PostgreSQL DBA/ });
  await tab.waitFor({ state: 'visible', timeout: 60_000 });
  const until = Date.now() + 30_000;
  while (!(await page.locator(SIDEBAR).getByText('PostgreSQL DBA: Servers', { exact: false }).first().isVisible())) {
    if (Date.now() > until) throw new Error('the Servers view did not show after the reload');
    if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
    await page.waitForTimeout(1_000);
  }
}

export interface SshUiSetup {
  /** The extension host's known_hosts (its HOME's). */
  knownHostsFile: string;
  /** code-server's user settings file: the profile is added there, as a person editing settings.json would. */
  settingsFile: string;
  /** The PostgreSQL the profile reaches, as the SSH server sees it. */
  server: { port: number; user: string; database: string };
}

export async function checkSshHostKeys(page: Page, setup: SshUiSetup, resultsDir: string): Promise<TestRecord[]> {
  const records: TestRecord[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-e2e-sshd-new-'));
  const settingsBefore = readFileSync(setup.settingsFile, 'utf8');
  const knownBefore = readFileSync(setup.knownHostsFile, 'utf8');
  let sshd: Awaited<ReturnType<typeof startSshServer>> | undefined;
  /** One named check: its screenshot, its time, its first error line; a failure skips the checks after it. */
  let broken: string | undefined;
  const check = async (name: string, shot: string, body: () => Promise<void>): Promise<void> => {
    const started = Date.now();
    if (broken) {
      records.push({ name, state: 'skipped', durationMs: 0, error: `an earlier SSH check failed: ${broken}` });
      return;
    }
    try {
      await body();
      await page.screenshot({ path: join(resultsDir, `${shot}.png`) });
      records.push({ name, state: 'passed', durationMs: Date.now() - started });
    } catch (e) {
      const file = join(resultsDir, `${shot}.png`);
      await page.screenshot({ path: file }).catch(() => undefined);
      broken = name;
      records.push({ name, state: 'failed', durationMs: Date.now() - started, error: `${(e as Error).message.split('\n')[0]}\n(screenshot: ${file})` });
    }
  };
  try {
    sshd = await startSshServer(dir);
    const hop = sshd;
    const firstKey = fingerprint(hop.hostKey());
    const settings = JSON.parse(settingsBefore) as Record<string, unknown>;
    const profile = {
      name: PROFILE,
      host: '127.0.0.1',
      port: setup.server.port,
      database: setup.server.database,
      user: setup.server.user,
      ssh: `${hop.keyUser.name}@127.0.0.1:${hop.port}`,
      sshIdentityFile: hop.keyUser.keyFile!,
    };
    const connections = (settings['pgdba.connections'] as unknown[] | undefined) ?? [];
    writeFileSync(setup.settingsFile, JSON.stringify({ ...settings, 'pgdba.connections': [...connections, profile] }, null, 2));
    // The workbench's watch of settings.json took 30 s once and never fired another time: the window
    // is reloaded instead, and reads the settings as it opens.
    await page.reload();
    await waitForWorkbench(page);
    await showServersView(page);

    await check(
      'ui › SSH: an unknown host key asks in a modal with its SHA256 fingerprint; Cancel adds nothing to known_hosts',
      'e2e-ssh-hostkey-cancel',
      async () => {
        const dialog = await hostKeyModal(page, hop.port, 60_000);
        const shown = (await dialog.textContent()) ?? '';
        if (!shown.includes(firstKey)) throw new Error(`the modal does not show the key's fingerprint ${firstKey}: "${shown}"`);
        await page.screenshot({ path: join(resultsDir, 'e2e-ssh-hostkey-modal.png') });
        await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
        // The server says why it is not connected, and the key is still unknown.
        await row(page, /is not in .*known_hosts; its ssh-ed25519 key's fingerprint is/)
          .first()
          .waitFor({ state: 'visible', timeout: 30_000 });
        if (readFileSync(setup.knownHostsFile, 'utf8') !== knownBefore) throw new Error('known_hosts changed after Cancel');
      },
    );

    await check('ui › SSH: Accept and Save adds the key to known_hosts and the server connects through the hop', 'e2e-ssh-hostkey-accept', async () => {
      // The tree retries an unreachable server by itself: the question comes again.
      const dialog = await hostKeyModal(page, hop.port);
      await dialog.getByRole('button', { name: 'Accept and Save', exact: true }).click();
      await waitForDescription(page, /^PostgreSQL \d/);
      const known = readFileSync(setup.knownHostsFile, 'utf8');
      if (!known.startsWith(knownBefore)) throw new Error(`known_hosts lost what it had:\n${known}`);
      const problem = hop.savedKeyProblem(setup.knownHostsFile, known.slice(knownBefore.length).replace(/^\n/, ''));
      if (problem) throw new Error(`known_hosts: ${problem}`);
    });

    await check(
      'ui › SSH: sshd killed mid-session: the server shows the error; started again, Refresh shows the server again',
      'e2e-ssh-sshd-restart',
      async () => {
        hop.kill();
        await refresh(page);
        await waitForDescription(page, /unreachable/);
        await row(page, new RegExp(`SSH .*127\\.0\\.0\\.1:${hop.port}: nothing listens at that port \\(is sshd running\\?\\)`))
          .first()
          .waitFor({ state: 'visible', timeout: 30_000 });
        await page.screenshot({ path: join(resultsDir, 'e2e-ssh-sshd-down.png') });
        await hop.start();
        await refresh(page);
        await waitForDescription(page, /^PostgreSQL \d/);
      },
    );

    await check(
      'ui › SSH: a changed host key is refused with the recorded and the presented fingerprints, and known_hosts is kept',
      'e2e-ssh-hostkey-changed',
      async () => {
        const known = readFileSync(setup.knownHostsFile, 'utf8');
        hop.kill();
        hop.newHostKey();
        await hop.start();
        const newKey = fingerprint(hop.hostKey());
        await refresh(page);
        const refused = row(page, /has CHANGED/).first();
        await refused.waitFor({ state: 'visible', timeout: 45_000 });
        const words = (await refused.locator('.label-name').textContent()) ?? '';
        if (!words.includes(firstKey) || !words.includes(newKey)) throw new Error(`the refusal names neither or one of ${firstKey} and ${newKey}: "${words}"`);
        if (readFileSync(setup.knownHostsFile, 'utf8') !== known) throw new Error('known_hosts changed on a changed key');
      },
    );
  } catch (e) {
    records.push({ name: 'ui › SSH: the second sshd and its profile', state: 'failed', durationMs: 0, error: (e as Error).message.split('\n')[0] ?? '' });
  } finally {
    writeFileSync(setup.settingsFile, settingsBefore);
    writeFileSync(setup.knownHostsFile, knownBefore);
    sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return records;
}
