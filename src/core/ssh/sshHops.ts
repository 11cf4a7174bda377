// The sessions of one front end (a VS Code window, a CLI run): a hop named by a profile or --ssh is
// resolved through ~/.ssh/config, its session shared by every holder of the same hop, and each
// holder (a profile, a command) keeps one reference until it releases it.
import { existsSync } from 'node:fs';
import type { ParsedKey } from 'ssh2';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { readConfFile } from '../conf/nodeConfFileSystem';
import type { ConnectionProfile } from '../db/profile';
import { parseSshConfig, resolveHop, expandPath, type ResolvedHop, type SshConfig } from './sshConfig';
import { SshHost } from './sshHost';
import { SshSession, type Endpoint, type SshPrompts } from './sshSession';
import { describeSshTarget, parseSshTarget } from './sshTarget';

export interface SshHopsOptions {
  prompts: SshPrompts;
  /** Default ~/.ssh/known_hosts. */
  knownHostsFile?: string;
  /** Default ~/.ssh/config; a missing file is no config. */
  sshConfigFile?: string;
  /** Default $SSH_AUTH_SOCK. */
  agentSocket?: string;
  home?: string;
  localUser?: string;
  readyTimeoutMs?: number;
}

/** The hop of a profile: its `ssh` and, when given, the key file to try first. */
export interface HopSpec {
  ssh: string;
  identityFile?: string;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export class SshHops {
  private readonly sessions = new Map<string, SshSession>();
  private readonly holders = new Map<string, SshSession>();
  private readonly keys = new Map<string, ParsedKey>();
  private readonly home: string;
  private readonly localUser: string;
  readonly knownHostsFile: string;

  constructor(private readonly o: SshHopsOptions) {
    this.home = o.home ?? homedir();
    this.localUser = o.localUser ?? userInfo().username;
    this.knownHostsFile = o.knownHostsFile ?? join(this.home, '.ssh', 'known_hosts');
  }

  private config(): SshConfig {
    const file = this.o.sshConfigFile ?? join(this.home, '.ssh', 'config');
    if (!this.o.sshConfigFile && !existsSync(file)) return parseSshConfig('');
    const r = readConfFile(file);
    if ('error' in r) throw new Error(`cannot read ${file}: ${r.error}`);
    return parseSshConfig(r.text);
  }

  resolve(spec: HopSpec): ResolvedHop {
    return resolveHop(this.config(), parseSshTarget(spec.ssh), { home: this.home, localUser: this.localUser });
  }

  /** The session of the hop with one more reference, connected (host key and login errors are thrown here, in words). */
  async acquire(spec: HopSpec): Promise<SshSession> {
    const hop = this.resolve(spec);
    const given = spec.identityFile ? [expandPath(spec.identityFile, this.home)] : [];
    const key = [describeSshTarget(hop), hop.jump ? describeSshTarget(hop.jump) : '', ...given].join('\u0000');
    let s = this.sessions.get(key)?.retain();
    if (!s) {
      const identityFiles = [...given, ...hop.identityFiles];
      if (identityFiles.length === 0) identityFiles.push(...DEFAULT_KEYS.map((k) => join(this.home, '.ssh', k)));
      const agentSocket = this.o.agentSocket ?? process.env.SSH_AUTH_SOCK;
      s = new SshSession(
        hop,
        {
          knownHostsFile: this.knownHostsFile,
          identityFiles,
          ...(agentSocket ? { agentSocket } : {}),
          ...(this.o.readyTimeoutMs ? { readyTimeoutMs: this.o.readyTimeoutMs } : {}),
        },
        this.o.prompts,
        this.keys,
        () => this.sessions.delete(key),
      );
      this.sessions.set(key, s);
    }
    try {
      await s.connection();
      return s;
    } catch (e) {
      s.release();
      throw e;
    }
  }

  /**
   * The loopback end of a tunnel to the profile's server through its hop, held by `holder` (default:
   * the profile's name) until release(holder). The profile's host is as the SSH server sees it.
   */
  async endpoint(profile: ConnectionProfile, holder = profile.name): Promise<Endpoint> {
    if (!profile.ssh) throw new Error(`profile "${profile.name}" has no SSH hop`);
    return (await this.sessionFor(profile, holder)).tunnel(profile.host, profile.port);
  }

  /** The profile's session, held by `holder` (one reference per holder, whatever the number of calls). */
  async sessionFor(profile: ConnectionProfile, holder = profile.name): Promise<SshSession> {
    if (!profile.ssh) throw new Error(`profile "${profile.name}" has no SSH hop`);
    const held = this.holders.get(holder);
    if (held) return held;
    const s = await this.acquire({ ssh: profile.ssh, ...(profile.sshIdentityFile ? { identityFile: profile.sshIdentityFile } : {}) });
    const raced = this.holders.get(holder);
    if (raced) {
      s.release();
      return raced;
    }
    this.holders.set(holder, s);
    return s;
  }

  /** The hop's machine as HostAccess, holding its own reference to the session until its release(). */
  async host(spec: HopSpec): Promise<SshHost> {
    return new SshHost(await this.acquire(spec));
  }

  release(holder: string): void {
    const s = this.holders.get(holder);
    this.holders.delete(holder);
    s?.release();
  }

  closeAll(): void {
    for (const h of [...this.holders.keys()]) this.release(h);
  }

  /** Open sessions, for tests: each hop once. */
  openSessions(): SshSession[] {
    return [...this.sessions.values()];
  }
}
