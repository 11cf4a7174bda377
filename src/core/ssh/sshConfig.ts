// ~/.ssh/config as ssh reads it, for the keywords a hop needs: Host blocks (patterns with * ? and
// !), HostName, User, Port, IdentityFile (~ and %h %u %r %p %n %d %%), ProxyJump (one level).
// The first value found for a keyword wins, as in ssh. Match and Include are not followed (the
// result says so); the text is bounded and read once, line by line.
import { parseSshTarget, matchPatternList, type SshTarget } from './sshTarget';

export const MAX_SSH_CONFIG_BYTES = 1024 * 1024;

interface Block {
  patterns: string[] | 'match';
  options: [string, string][];
}

export interface SshConfig {
  blocks: Block[];
  /** Lines ssh would follow that this reader does not (Include, Match), said to the person. */
  notes: string[];
}

export interface ResolvedHop {
  /** The alias or name as the person wrote it. */
  alias: string;
  host: string;
  port: number;
  user: string;
  identityFiles: string[];
  /** The jump host, itself resolved through the config (its own ProxyJump is not followed). */
  jump?: ResolvedHop;
}

/** Splits a line into keyword and arguments: `Key value`, `Key=value`, double quotes keep blanks. */
function splitLine(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quoted = false;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') {
      quoted = !quoted;
      has = true;
    } else if (!quoted && (ch === ' ' || ch === '\t' || (ch === '=' && words.length === 0))) {
      if (has) words.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (has) words.push(cur);
  return words;
}

export function parseSshConfig(text: string): SshConfig {
  if (text.length > MAX_SSH_CONFIG_BYTES) throw new Error(`the SSH config is larger than ${MAX_SSH_CONFIG_BYTES} bytes; pgdba does not read it`);
  const blocks: Block[] = [{ patterns: ['*'], options: [] }];
  const notes: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (!line || line.startsWith('#')) continue;
    const [key, ...args] = splitLine(line);
    if (!key) continue;
    const k = key.toLowerCase();
    if (k === 'host') blocks.push({ patterns: args, options: [] });
    else if (k === 'match') {
      blocks.push({ patterns: 'match', options: [] });
      notes.push(`line ${n + 1}: Match blocks are not read by pgdba; their options do not apply`);
    } else if (k === 'include') notes.push(`line ${n + 1}: Include is not followed by pgdba`);
    else blocks[blocks.length - 1]!.options.push([k, args.join(' ')]);
  }
  return { blocks, notes };
}

/** The first value of each keyword over the blocks whose Host patterns match `alias`; IdentityFile accumulates. */
function optionsFor(config: SshConfig, alias: string): { first: Map<string, string>; identityFiles: string[] } {
  const first = new Map<string, string>();
  const identityFiles: string[] = [];
  for (const b of config.blocks) {
    if (b.patterns === 'match' || !matchPatternList(b.patterns, alias)) continue;
    for (const [k, v] of b.options) {
      if (k === 'identityfile') identityFiles.push(v);
      else if (!first.has(k)) first.set(k, v);
    }
  }
  return { first, identityFiles };
}

export interface ResolveEnv {
  home: string;
  localUser: string;
}

/** The hop for a target: what the person wrote wins over the config, the config over ssh's defaults. */
export function resolveHop(config: SshConfig, target: SshTarget, env: ResolveEnv, depth = 0): ResolvedHop {
  const { first, identityFiles } = optionsFor(config, target.host);
  const host = first.get('hostname')
    ? expandTokens(first.get('hostname')!, { h: target.host, n: target.host, d: env.home, u: env.localUser, r: '', p: '' })
    : target.host;
  const port = target.port ?? (first.has('port') ? Number(first.get('port')) : 22);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`~/.ssh/config: Port of ${target.host} is not a port number`);
  const user = target.user ?? first.get('user') ?? env.localUser;
  const tokens = { h: host, n: target.host, d: env.home, u: env.localUser, r: user, p: String(port) };
  const hop: ResolvedHop = {
    alias: target.host,
    host,
    port,
    user,
    identityFiles: identityFiles.filter((f) => f.toLowerCase() !== 'none').map((f) => expandPath(expandTokens(f, tokens), env.home)),
  };
  const jump = first.get('proxyjump');
  if (jump && jump.toLowerCase() !== 'none' && depth === 0) {
    if (jump.includes(',')) throw new Error(`~/.ssh/config: ProxyJump of ${target.host} names several hops; pgdba follows one`);
    hop.jump = resolveHop(config, parseSshTarget(jump.replace(/^ssh:\/\//, '')), env, 1);
  }
  return hop;
}

/** ssh's %-tokens; an unknown one is refused rather than passed on. */
export function expandTokens(text: string, values: Record<'h' | 'n' | 'd' | 'u' | 'r' | 'p', string>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const t = text[++i];
    if (t === '%') out += '%';
    else if (t !== undefined && t in values) out += values[t as keyof typeof values];
    else throw new Error(`~/.ssh/config: the token %${t ?? ''} in "${text}" is not one pgdba knows (%h %n %u %r %p %d %%)`);
  }
  return out;
}

/** `~/x` → `<home>/x`; anything else as written (ssh expands only the tilde). */
export function expandPath(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return `${home}/${p.slice(2)}`;
  return p;
}
