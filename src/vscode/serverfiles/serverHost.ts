// Which HostAccess reaches a profile's server machine: this machine when the server is local (or
// VS Code runs on it through Remote-SSH), the SSH hop (src/core/ssh/) when the profile names one.
import type { ConnectionProfile } from '../../core/db/profile';
import type { HostAccess } from '../../core/host/hostAccess';
import { localHost } from '../../core/host/localHost';
import { isLocalHost } from '../../core/host/facts';

export function hostFor(profile: ConnectionProfile): HostAccess {
  if (profile.ssh) throw new Error(`${profile.name} is reached through SSH (${profile.ssh}); this build of pgdba cannot open files over SSH yet`);
  if (isLocalHost(profile.host)) return localHost;
  throw new Error(
    `${profile.name}'s server runs on ${profile.host}, not on this machine: give the profile an SSH hop ("ssh": "user@${profile.host}") to open its files, or open VS Code on that machine (Remote-SSH)`,
  );
}
