// PGC401–PGC405: settings that weaken security. Only explicit lines are judged (the defaults of
// an untouched file listen on localhost only), except that ssl counts at its default when the
// file opens the server beyond localhost.
import type { Finding } from './finding';
import type { ConfModel } from './confModel';
import { parseBool } from '../conf/confValue';

/** A pg_hba.conf line that admits the whole internet (0.0.0.0/0, ::/0, all) with something else than reject. */
export interface HbaOpenLine {
  file: string;
  line: number;
  /** The line as written, for the message. */
  text?: string;
}

const LOCAL = new Set(['localhost', '127.0.0.1', '::1', '']);
const WILDCARD = new Set(['*', '0.0.0.0', '::']);

function loc(model: ConfModel, name: string): Pick<Finding, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'> | undefined {
  const cs = model.last.get(name);
  if (!cs?.checked?.ok) return undefined;
  return { file: cs.file, ...cs.setting.nameRange, endColumn: cs.setting.valueRange.endColumn };
}

function addresses(v: string): string[] {
  return v.split(/[\s,]+/).filter((a) => a !== '');
}

export function securityFindings(model: ConfModel, hbaOpenToWorld?: readonly HbaOpenLine[]): Finding[] {
  const out: Finding[] = [];
  const listen = loc(model, 'listen_addresses');
  const addrs = addresses(model.str('listen_addresses') ?? 'localhost');
  const beyondLocal = addrs.some((a) => !LOCAL.has(a.toLowerCase()));

  if (listen && addrs.some((a) => WILDCARD.has(a)) && hbaOpenToWorld && hbaOpenToWorld.length > 0) {
    const lines = hbaOpenToWorld
      .slice(0, 3)
      .map((h) => `${h.file}:${h.line}${h.text ? ` (${h.text.trim()})` : ''}`)
      .join(', ');
    const more = hbaOpenToWorld.length > 3 ? ` and ${hbaOpenToWorld.length - 3} more` : '';
    out.push({
      ...listen,
      severity: 'warning',
      code: 'PGC401',
      message: `listen_addresses = '${addrs.join(',')}' listens on every interface and pg_hba.conf admits the whole internet: ${lines}${more}; listen only where clients are, or narrow those lines`,
    });
  }

  const pe = loc(model, 'password_encryption');
  const peValue = model.str('password_encryption');
  if (pe && peValue !== undefined && peValue !== 'scram-sha-256' && (peValue === 'md5' || parseBool(peValue) === true)) {
    out.push({
      ...pe,
      severity: 'warning',
      code: 'PGC402',
      message:
        'password_encryption = md5 stores passwords as MD5 hashes, which leak easily and are deprecated; use scram-sha-256 (set it, then reset each password)',
    });
  }

  if (beyondLocal && listen && model.bool('ssl') === false) {
    const at = loc(model, 'ssl') ?? listen;
    out.push({
      ...at,
      severity: 'warning',
      code: 'PGC403',
      message: `ssl is off while listen_addresses = '${addrs.join(',')}' accepts connections from the network: passwords and data cross it in clear text`,
    });
  }

  for (const [name, code, what] of [
    ['log_connections', 'PGC404', 'connection attempts'],
    ['log_disconnections', 'PGC405', 'session ends and durations'],
  ] as const) {
    const at = loc(model, name);
    if (!at) continue;
    const v = model.get(name)?.value;
    const off = v?.type === 'bool' ? v.value === false : v?.type === 'string' ? v.value.trim() === '' || parseBool(v.value.trim()) === false : false;
    if (off)
      out.push({
        ...at,
        severity: 'warning',
        code,
        message: `${name} is off: ${what} leave no trace in the log, so an intrusion or a brute-force attempt goes unseen`,
      });
  }
  return out;
}
