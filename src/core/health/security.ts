// Security posture (monthly): superusers and login roles, login roles without a password or with
// an MD5 one while password_encryption is scram-sha-256, CREATE on schema public for PUBLIC,
// SECURITY DEFINER functions without a fixed search_path, ssl off while listening beyond localhost.
import { readableIdent } from '../db/sqlIdent';
import { settle } from '../stats/errors';
import { definerFunctions, rolePasswords, roles, securityPosture } from '../stats/security';
import { guarded, type HealthContext } from './context';
import { qualified } from './names';
import type { Finding } from './types';

const LOCAL = new Set(['localhost', '127.0.0.1', '::1']);

/** listen_addresses names an address other than the loopback ones ('' is Unix sockets only). */
export function listensBeyondLocalhost(listenAddresses: string): boolean {
  return listenAddresses
    .split(',')
    .map((a) => a.trim())
    .some((a) => a !== '' && !LOCAL.has(a));
}

export async function securityCheck(ctx: HealthContext): Promise<Finding[]> {
  return guarded(ctx, 'security', 'monthly', 'Security posture', async () => {
    const base = { check: 'security' as const, schedule: 'monthly' as const };
    const out: Finding[] = [];
    const all = await roles(ctx.pool, ctx.v);
    const supers = all.filter((r) => r.superuser).map((r) => r.role);
    const logins = all.filter((r) => r.canLogin).length;
    out.push({
      ...base,
      level: 'info',
      subject: 'roles',
      observed: `${supers.length} superuser${supers.length === 1 ? '' : 's'} (${supers.join(', ')}), ${logins} login role${logins === 1 ? '' : 's'}`,
      value: supers.length,
      why: 'A superuser bypasses every permission check: applications should log in as roles that own or are granted only what they use.',
    });
    const posture = await securityPosture(ctx.pool, ctx.v);
    const passwords = await settle(rolePasswords(ctx.pool, ctx.v));
    // pg_authid is a superuser's only: no role to grant, so no GRANT to suggest.
    if (!passwords.ok)
      out.push({
        ...base,
        level: 'info',
        subject: 'passwords',
        observed: 'not read',
        why: `How passwords are stored is in pg_authid, which only a superuser may read (${passwords.error.message}).`,
      });
    else
      for (const p of passwords.value) {
        if (p.passwordKind === 'none')
          out.push({
            ...base,
            level: 'warning',
            subject: `role ${p.role}`,
            observed: 'can log in, has no password',
            why: 'It can log in only through a pg_hba.conf rule that asks for no password (trust, peer, ident, cert): whoever reaches such a rule is this role.',
            fix: { kind: 'sql', text: `ALTER ROLE ${readableIdent(p.role)} PASSWORD '…';  -- or NOLOGIN, if nothing logs in as it` },
          });
        else if (p.passwordKind === 'md5' && posture?.passwordEncryption === 'scram-sha-256')
          out.push({
            ...base,
            level: 'warning',
            subject: `role ${p.role}`,
            observed: 'password stored as MD5, password_encryption = scram-sha-256',
            why: 'An MD5 hash is replayable as the password itself and will not be accepted by scram-sha-256 rules; setting the password again stores it as SCRAM (a PgBouncer with auth_type md5 accepts SCRAM secrets from 1.14 with auth_type scram-sha-256).',
            fix: { kind: 'sql', text: `ALTER ROLE ${readableIdent(p.role)} PASSWORD '…';  -- set again under password_encryption = scram-sha-256` },
          });
      }
    if (posture?.publicCreate)
      out.push({
        ...base,
        level: 'warning',
        subject: 'schema public',
        observed: 'PUBLIC has CREATE',
        why: 'Every role can create objects in public, among them functions and operators that shadow the ones other roles call (CVE-2018-1058); PostgreSQL 15 stopped granting it.',
        fix: { kind: 'sql', text: 'REVOKE CREATE ON SCHEMA public FROM PUBLIC;' },
      });
    for (const f of await definerFunctions(ctx.pool, ctx.v))
      out.push({
        ...base,
        level: 'warning',
        subject: `${f.schema}.${f.name}(${f.args})`,
        observed: `SECURITY DEFINER, owned by ${f.owner}, no search_path of its own`,
        why: `It runs with ${f.owner}'s rights and resolves names through the caller's search_path: a caller who can create objects in a schema on that path runs code as ${f.owner}.`,
        fix: { kind: 'sql', text: `ALTER FUNCTION ${qualified(f.schema, f.name)}(${f.args}) SET search_path = pg_catalog, pg_temp;` },
      });
    if (posture && posture.ssl !== 'on' && listensBeyondLocalhost(posture.listenAddresses))
      out.push({
        ...base,
        level: 'warning',
        subject: 'server',
        observed: `ssl = ${posture.ssl}, listen_addresses = '${posture.listenAddresses}'`,
        why: 'Clients beyond this machine connect in clear text: passwords under md5 and every query and row can be read on the way.',
        fix: { kind: 'setting', text: "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'  # then hostssl rules in pg_hba.conf; reload" },
      });
    return out;
  });
}
