// The SSH hop of every CLI command that connects: --ssh [user@]host[:port] (or an alias of
// ~/.ssh/config), --ssh-key FILE, --known-hosts FILE, --accept-new-host-key (ssh's accept-new: an
// unknown key is added, a changed one never). A terminal cannot be prompted in cron or CI, so the
// key's passphrase and the hop's password come from PGDBA_SSH_PASSPHRASE and PGDBA_SSH_PASSWORD.
import type { SshHost } from '../core/ssh/sshHost';
import { SshHops } from '../core/ssh/sshHops';
import { BackupUsageError, type ParsedArgs } from './backupArgs';

export const SSH_OPTIONS = ['ssh', 'ssh-key', 'known-hosts'] as const;
export const SSH_SWITCHES = ['accept-new-host-key'] as const;

export const SSH_USAGE = `  --ssh [USER@]HOST[:PORT]  reach the server through this SSH hop (or an alias of ~/.ssh/config);
                       the URL's host is then as the SSH server sees it (127.0.0.1: its own)
  --ssh-key FILE       the hop's private key (else ssh-agent, ~/.ssh/config, ~/.ssh/id_*);
                       its passphrase from PGDBA_SSH_PASSPHRASE, a password from PGDBA_SSH_PASSWORD
  --known-hosts FILE   default ~/.ssh/known_hosts
  --accept-new-host-key  add an unknown host key to known_hosts (a changed one is always refused)
`;

export interface CliHop {
  ssh: string;
  identityFile?: string;
  knownHostsFile?: string;
  acceptNew: boolean;
}

export function hopFrom(p: ParsedArgs): CliHop | undefined {
  const ssh = p.options.get('ssh');
  if (!ssh) {
    for (const o of ['ssh-key', 'known-hosts']) if (p.options.has(o)) throw new BackupUsageError(`--${o} needs --ssh`);
    return undefined;
  }
  const key = p.options.get('ssh-key');
  const known = p.options.get('known-hosts');
  return { ssh, ...(key ? { identityFile: key } : {}), ...(known ? { knownHostsFile: known } : {}), acceptNew: p.flags.has('accept-new-host-key') };
}

let hops: SshHops | undefined;

/** The run's sessions (one CLI command, one known_hosts file). */
export function cliHops(hop: CliHop, env: NodeJS.ProcessEnv = process.env): SshHops {
  hops ??= new SshHops({
    prompts: {
      confirmHostKey: () => Promise.resolve(hop.acceptNew),
      passphrase: () => Promise.resolve(env.PGDBA_SSH_PASSPHRASE),
      password: () => Promise.resolve(env.PGDBA_SSH_PASSWORD),
    },
    ...(hop.knownHostsFile ? { knownHostsFile: hop.knownHostsFile } : {}),
  });
  return hops;
}

/** The hop's machine (host facts, log files), on the run's session; release() it when done. */
export function cliHopHost(hop: CliHop, env: NodeJS.ProcessEnv = process.env): Promise<SshHost> {
  return cliHops(hop, env).host({ ssh: hop.ssh, ...(hop.identityFile ? { identityFile: hop.identityFile } : {}) });
}

/** Ends the run's sessions, so that the process can exit. */
export function closeCliHops(): void {
  hops?.closeAll();
  hops = undefined;
}
