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

/** RFC 4254's reasons for a refused channel, as ssh2 gives them (err.reason). */
const OPEN_ADMINISTRATIVELY_PROHIBITED = 1;
const OPEN_CONNECT_FAILED = 2;

/** The SSH server refused to open a channel to host:port: the reason it gave, and what to do about it. */
export class ForwardRefusedError extends Error {
  constructor(
    readonly target: string,
    readonly host: string,
    readonly port: number,
    readonly reason: number | undefined,
    serverWords: string,
    /** What should listen there: the server, or the next hop's sshd (ProxyJump). */
    service: 'PostgreSQL' | 'sshd' = 'PostgreSQL',
  ) {
    const said = serverWords ? ` (it said "${serverWords}")` : '';
    const what =
      reason === OPEN_ADMINISTRATIVELY_PROHIBITED
        ? `the SSH server refuses to forward there${said}: its sshd_config (AllowTcpForwarding, PermitOpen, DisableForwarding) or the key's permitopen= in authorized_keys does not allow ${host}:${port} for this user. Ask its administrator to allow it (PermitOpen ${host}:${port}), or use a hop that may forward.`
        : reason === OPEN_CONNECT_FAILED
          ? `nothing accepted the connection at ${host}:${port} on the SSH server's machine${said}: is ${service} running there, and are the ${service === 'sshd' ? "next hop's" : "profile's"} host and port as that machine sees them (127.0.0.1 is the SSH server itself)?`
          : `the SSH server refused the channel${said}`;
    super(`SSH ${target} could not forward to ${host}:${port}: ${what}`);
    this.name = 'ForwardRefusedError';
  }
}

function knownHostArg(info: HostKeyInfo): string {
  return info.port === 22 ? info.host : `'[${info.host}]:${info.port}'`;
}

export function isHostKeyError(e: unknown): e is UnknownHostKeyError | ChangedHostKeyError | RevokedHostKeyError {
  return e instanceof UnknownHostKeyError || e instanceof ChangedHostKeyError || e instanceof RevokedHostKeyError;
}
