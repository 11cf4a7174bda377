// Starts and stops code-server (the real VS Code the e2e rig, the sandbox and the bench drive),
// installed in .vscode-host/ by scripts/setup-vscode-host.sh (shared/recipes/vscode-host.md).
// Each start gets its own free loopback port and throw-away user-data, extensions and temp
// dirs; it is stopped by its process group's id, never by name. Dirs left by a killed run are swept.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, pidAlive } from './pgServer';

const REPO_ROOT = resolve(__dirname, '..', '..');
export const VSCODE_HOST_DIR = join(REPO_ROOT, '.vscode-host');
export const CODE_SERVER_BIN = join(VSCODE_HOST_DIR, 'node_modules', '.bin', 'code-server');
const PREFIX = 'pgdba-vscode-';
const LOG_LINES = 200;

export interface VscodeHostOptions {
  /** Folder opened in the workbench. */
  workspace: string;
  /** User settings, merged over the rig's defaults (trust prompt and welcome page off). */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and so for its extension host (e.g. PGPASSWORD). */
  env?: Record<string, string>;
  /** .vsix files installed into the fresh extensions dir before start. */
  vsix?: string[];
  /** Keep the user-data-dir here instead of a temp dir removed on stop. */
  userDataDir?: string;
  readyTimeoutMs?: number;
  onLog?: (line: string) => void;
}

export interface VscodeHost {
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** The workbench with the workspace open. */
  workspaceUrl: string;
  /** vscode-remote://127.0.0.1:<port>: prefix of absolute paths on the server for payloads. */
  remoteAuthority: string;
  userDataDir: string;
  extensionsDir: string;
  pid: number;
  /** The last lines code-server printed. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export function isVscodeHostInstalled(): boolean {
  return existsSync(CODE_SERVER_BIN);
}

/** code-server's own environment: ours less anything that would tie it to another VS Code. */
function hostEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VSCODE_|ELECTRON_)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** True when the process `pid` is a code-server of ours started on `baseDir` (guards PID reuse). */
function isOurCodeServer(pid: number, baseDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(baseDir);
  } catch {
    return false;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* group gone */
  }
}

/** Removes the dirs of code-servers in `under` whose owning run is gone, stopping a server still running. */
export function sweepStaleHosts(under = tmpdir()): number {
  let swept = 0;
  for (const name of readdirSync(under)) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(under, name);
    let owner = { pid: 0, serverPid: 0 };
    try {
      owner = JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')) as typeof owner;
    } catch {
      // No owner file: half-made by a killed run, or being made right now by a live one.
      if (Date.now() - statSync(dir).mtimeMs < 60_000) continue;
    }
    if (owner.pid && pidAlive(owner.pid)) continue;
    if (owner.serverPid && isOurCodeServer(owner.serverPid, dir)) killGroup(owner.serverPid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    swept++;
  }
  return swept;
}

function installVsix(vsix: string, userDataDir: string, extensionsDir: string, env: NodeJS.ProcessEnv): void {
  const r = spawnSync(CODE_SERVER_BIN, ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) {
    throw new Error(`code-server could not install ${vsix} (exit ${r.status ?? r.signal}):\n${(r.stdout + r.stderr).trim().split('\n').slice(-15).join('\n')}`);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

export async function startVscodeHost(options: VscodeHostOptions): Promise<VscodeHost> {
  if (!isVscodeHostInstalled()) {
    throw new Error(`code-server is not installed in ${VSCODE_HOST_DIR}: run \`bash scripts/setup-vscode-host.sh\` (or \`npm run setup\`).`);
  }
  sweepStaleHosts();
  const baseDir = mkdtempSync(join(tmpdir(), PREFIX));
  writeFileSync(join(baseDir, 'owner.json'), JSON.stringify({ pid: process.pid, serverPid: 0 }));
  const userDataDir = options.userDataDir ? resolve(options.userDataDir) : join(baseDir, 'user-data');
  const extensionsDir = join(baseDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settings = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    // The rig's workspaces sit inside a checkout: Git's "open the parent repository?" toast would cover the screenshots.
    'git.openRepositoryInParentFolders': 'never',
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    // code-server offers to forward each port a process of the extension host listens on (pgdba's SSH
    // tunnels): its toasts would push a test's own toast out of the three shown.
    'remote.autoForwardPorts': false,
    ...options.settings,
  };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // Its own temp dir, removed with the rest: code-server and its hosts make sockets and folders
  // there (vscode-ipc-*.sock, vscode-git-*.sock, vscode-typescript*) and a killed one leaves them.
  const tmp = join(baseDir, 'tmp');
  mkdirSync(tmp);
  const env = hostEnv({ TMPDIR: tmp, ...options.env });
  const cleanup = () => rmSync(baseDir, { recursive: true, force: true });

  try {
    for (const v of options.vsix ?? []) installVsix(v, userDataDir, extensionsDir, env);
  } catch (e) {
    cleanup();
    throw e;
  }

  const log: string[] = [];
  const logTail = (n = 30) => log.slice(-n).join('\n');
  const onData = (b: Buffer) => {
    for (const line of b.toString().split('\n')) {
      if (!line.trim()) continue;
      log.push(line);
      if (log.length > LOG_LINES) log.shift();
      options.onLog?.(line);
    }
  };

  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const args = [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      options.workspace,
    ];
    // detached: its own process group, so stop() reaches the extension host and the pty host too.
    const child = spawn(CODE_SERVER_BIN, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const pid = child.pid ?? 0;
    writeFileSync(join(baseDir, 'owner.json'), JSON.stringify({ pid: process.pid, serverPid: pid }));
    const url = `http://127.0.0.1:${port}`;
    const ready = await waitReady(child, `${url}/healthz`, timeoutMs);
    if (ready === 'ready') {
      return makeHost({ child, pid, port, url, workspace: options.workspace, userDataDir, extensionsDir, logTail, cleanup });
    }
    killGroup(pid, 'SIGKILL');
    if (ready === 'exited' && /EADDRINUSE|address already in use/i.test(logTail())) continue; // lost a port race: retry
    cleanup();
    const why = ready === 'exited' ? `exited with ${child.exitCode ?? child.signalCode}` : `did not answer within ${timeoutMs / 1000} s`;
    throw new Error(`code-server ${why}; the last lines of its log:\n${logTail(25) || '(no output)'}`);
  }
  cleanup();
  throw new Error(`code-server could not bind a free port in 3 tries; the last lines of its log:\n${logTail(25)}`);
}

async function waitReady(child: ChildProcess, healthUrl: string, timeoutMs: number): Promise<'ready' | 'exited' | 'timeout'> {
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) return 'exited';
    if (await answers(healthUrl)) return 'ready';
    await new Promise((r) => setTimeout(r, 150));
  }
  return exited ? 'exited' : 'timeout';
}

function makeHost(p: {
  child: ChildProcess;
  pid: number;
  port: number;
  url: string;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  logTail: (n?: number) => string;
  cleanup: () => void;
}): VscodeHost {
  let stopping: Promise<void> | undefined;
  const onExit = () => killGroup(p.pid, 'SIGKILL'); // last resort when the runner exits abruptly
  process.once('exit', onExit);
  return {
    port: p.port,
    url: p.url,
    workspaceUrl: `${p.url}/?folder=${encodeURIComponent(p.workspace)}`,
    remoteAuthority: `vscode-remote://127.0.0.1:${p.port}`,
    userDataDir: p.userDataDir,
    extensionsDir: p.extensionsDir,
    pid: p.pid,
    logTail: p.logTail,
    stop() {
      stopping ??= new Promise<void>((done) => {
        process.removeListener('exit', onExit);
        const finish = () => {
          killGroup(p.pid, 'SIGKILL'); // children that outlived the server
          p.cleanup();
          done();
        };
        if (p.child.exitCode !== null || p.child.signalCode !== null) return finish();
        p.child.once('exit', finish);
        killGroup(p.pid, 'SIGTERM');
        setTimeout(() => killGroup(p.pid, 'SIGKILL'), 5000).unref();
      });
      return stopping;
    },
  };
}

/** A workbench URL for `host` with the workspace open and `payload` (pairs of name, value). */
export function workbenchUrl(host: VscodeHost, payload: [string, string][] = []): string {
  if (payload.length === 0) return host.workspaceUrl;
  return `${host.workspaceUrl}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** An absolute path on this machine, as the workbench names it on the remote (server) side. */
export function remotePath(host: VscodeHost, absolutePath: string): string {
  return `${host.remoteAuthority}${resolve(absolutePath)}`;
}
