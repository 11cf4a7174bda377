// ~/.ssh/known_hosts as ssh reads it: plain names and patterns, `[host]:port` for a port other than
// 22, hashed `|1|salt|hash` names (HMAC-SHA1 of the name under the salt), `@revoked` keys;
// `@cert-authority` lines are skipped (pgdba does not check host certificates). Fingerprints are
// ssh's: `SHA256:` and the unpadded base64 of the key blob's SHA-256.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { matchPatternList } from './sshTarget';

export const MAX_KNOWN_HOSTS_BYTES = 16 * 1024 * 1024;

export interface KnownKey {
  type: string;
  /** The key blob, base64 as the file has it. */
  base64: string;
  line: number;
}

export type HostKeyVerdict = { kind: 'known' } | { kind: 'unknown' } | { kind: 'changed'; old: KnownKey[] } | { kind: 'revoked'; line: number };

/** `host` for port 22, `[host]:port` otherwise: the name known_hosts records. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The key's type, read from its blob (an SSH string: uint32 length, then the name). */
export function keyType(blob: Buffer): string {
  if (blob.length < 4) throw new Error('a host key blob shorter than its length field');
  const n = blob.readUInt32BE(0);
  if (n > 64 || 4 + n > blob.length) throw new Error('a host key blob with a malformed type');
  return blob.subarray(4, 4 + n).toString('latin1');
}

export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function hashedNameMatches(field: string, name: string): boolean {
  const [, magic, salt64, hash64] = field.split('|');
  if (magic !== '1' || !salt64 || !hash64) return false;
  const want = Buffer.from(hash64, 'base64');
  const got = createHmac('sha1', Buffer.from(salt64, 'base64')).update(name).digest();
  return want.length === got.length && timingSafeEqual(want, got);
}

function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedNameMatches(field, name);
  return matchPatternList(field.split(','), name);
}

/** Every key recorded for the host at this port, and the revoked ones, in the order of the file. */
export function checkHostKey(text: string, host: string, port: number, blob: Buffer): HostKeyVerdict {
  if (text.length > MAX_KNOWN_HOSTS_BYTES) throw new Error(`known_hosts is larger than ${MAX_KNOWN_HOSTS_BYTES} bytes; pgdba does not read it`);
  const name = knownHostName(host, port);
  const presented = blob.toString('base64');
  const recorded: KnownKey[] = [];
  const lines = text.split(/\r?\n/);
  let revoked: number | undefined;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (!line || line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    let marker: string | undefined;
    if (words[0]!.startsWith('@')) marker = words.shift();
    const [hosts, type, base64] = words;
    if (!hosts || !type || !base64) continue;
    if (marker === '@revoked') {
      // ssh refuses a revoked key whichever host presents it, the host field notwithstanding.
      if (base64 === presented) revoked ??= n + 1;
      continue;
    }
    if (marker !== undefined || !hostFieldMatches(hosts, name)) continue;
    recorded.push({ type, base64, line: n + 1 });
  }
  if (revoked !== undefined) return { kind: 'revoked', line: revoked };
  if (recorded.some((k) => k.base64 === presented)) return { kind: 'known' };
  return recorded.length ? { kind: 'changed', old: recorded } : { kind: 'unknown' };
}

/** The key types recorded for a host, to prefer in the key exchange (so a host with several keys offers the known one). */
export function knownKeyTypes(text: string, host: string, port: number): string[] {
  const name = knownHostName(host, port);
  const types: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const words = raw.trim().split(/\s+/);
    if (words.length < 3 || words[0]!.startsWith('@') || words[0]!.startsWith('#')) continue;
    if (hostFieldMatches(words[0]!, name) && !types.includes(words[1]!)) types.push(words[1]!);
  }
  return types;
}

/**
 * The line to append for an accepted key, its name hashed as ssh writes with HashKnownHosts yes
 * (Debian's and Ubuntu's default): a copied known_hosts does not list the servers it reaches.
 * `ssh-keygen -F host` still finds it.
 */
export function knownHostsLine(host: string, port: number, blob: Buffer, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(knownHostName(host, port)).digest('base64');
  return `|1|${salt.toString('base64')}|${hash} ${keyType(blob)} ${blob.toString('base64')}\n`;
}

export function fingerprintOf(k: KnownKey): string {
  return fingerprint(Buffer.from(k.base64, 'base64'));
}
