// What can go wrong on the hop, each in words that say what to do. The host key errors carry the
// fingerprints, for the front end to show (the CLI exits 2 with them, VS Code asks or refuses).

export interface HostKeyInfo {
  /** The host and port as known_hosts names them. */
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  knownHostsFile: string;
}

export class UnknownHostKeyError extends Error {
  constructor(
    readonly info: HostKeyInfo,
    readonly key: Buffer,
  ) {
    super(
      `the SSH host ${info.host}:${info.port} is not in ${info.knownHostsFile}; its ${info.keyType} key's fingerprint is ${info.fingerprint}. ` +
        `Check it with the server's administrator (ssh-keygen -lf /etc/ssh/ssh_host_${info.keyType.replace(/^ssh-|-.*$/g, '')}_key.pub on the server), then accept it (--accept-new-host-key in the CLI).`,
    );
    this.name = 'UnknownHostKeyError';
  }
}

export class ChangedHostKeyError extends Error {
  constructor(
    readonly info: HostKeyInfo,
    readonly oldFingerprints: { fingerprint: string; keyType: string; line: number }[],
  ) {
    const old = oldFingerprints.map((o) => `${o.keyType} ${o.fingerprint} (line ${o.line})`).join(', ');
    super(
      `the SSH host key of ${info.host}:${info.port} has CHANGED: ${info.knownHostsFile} records ${old}, the server now presents ${info.keyType} ${info.fingerprint}. ` +
        `Someone may be intercepting the connection. If the server was reinstalled and its administrator confirms the new fingerprint, ` +
        `remove the old key with \`ssh-keygen -R ${knownHostArg(info)} -f ${info.knownHostsFile}\` and connect again.`,
    );
    this.name = 'ChangedHostKeyError';
  }
}

export class RevokedHostKeyError extends Error {
  constructor(
    readonly info: HostKeyInfo,
    line: number,
  ) {
    super(
      `the SSH host ${info.host}:${info.port} presents a key marked @revoked in ${info.knownHostsFile} (line ${line}), ${info.fingerprint}; pgdba will not connect.`,
    );
    this.name = 'RevokedHostKeyError';
  }
}

export class SshAuthError extends Error {
  constructor(
    readonly target: string,
    readonly tried: string[],
    readonly serverOffers: string[],
  ) {
    super(
      `SSH ${target} refused every way pgdba tried to log in (${tried.join(', ') || 'none'}; the server accepts ${serverOffers.join(', ') || 'nothing it said'}). ` +
        `Load the key into ssh-agent (ssh-add), name it with --ssh-key or the profile's sshIdentityFile, or check the user name.`,
    );
    this.name = 'SshAuthError';
  }
}

function knownHostArg(info: HostKeyInfo): string {
  return info.port === 22 ? info.host : `'[${info.host}]:${info.port}'`;
}

export function isHostKeyError(e: unknown): e is UnknownHostKeyError | ChangedHostKeyError | RevokedHostKeyError {
  return e instanceof UnknownHostKeyError || e instanceof ChangedHostKeyError || e instanceof RevokedHostKeyError;
}
