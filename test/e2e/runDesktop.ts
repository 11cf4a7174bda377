// The e2e suite in a desktop VS Code, for a developer's machine where VS Code can be downloaded
// (@vscode/test-electron fetches it into .vscode-test/). `npm run test:desktop`
// The same test entry as the code-server rig (test/e2e/runE2e.ts) runs in the extension host; the
// screenshot test skips itself here (no runner holds a browser). PGDBA_VSCODE_VERSION picks the
// VS Code (default: stable); PGDBA_TEST_URL an existing server, as in the other rigs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { getTestServer } from '../support/testServer';
import { ENV } from './protocol';
import { makeWorkspace, profileFromUrl } from './workspace';

const ROOT = resolve(__dirname, '..', '..');
const PROFILE = 'e2e';

async function main(): Promise<number> {
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) return 1;
  const server = await getTestServer();
  const url = new URL(server.url);
  const workspace = makeWorkspace();
  const userDataDir = mkdtempSync(join(tmpdir(), 'pgdba-desktop-'));
  mkdirSync(join(userDataDir, 'User'));
  const connection = profileFromUrl(PROFILE, server.url);
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'pgdba.connections': [connection] }),
  );
  try {
    await runTests({
      version: process.env.PGDBA_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(ROOT, 'dist', 'test', 'e2e', 'suite', 'index.js'),
      launchArgs: [workspace, `--user-data-dir=${userDataDir}`, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: {
        PGPASSWORD: decodeURIComponent(url.password),
        [ENV.profile]: PROFILE,
        [ENV.major]: String(server.major),
      },
    });
    return 0;
  } catch (e) {
    console.error(`desktop e2e: ${(e as Error).message}`);
    return 1;
  } finally {
    await server.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
