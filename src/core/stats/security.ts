// The security posture as the catalogs tell it: roles (superuser, login, how their password is
// stored — pg_authid, superuser only), CREATE on schema public for PUBLIC (the default before
// 15), SECURITY DEFINER functions without a search_path of their own, ssl and listen_addresses.
import { defineQuery, runQuery, type VersionArgs } from './query';
import { sql, type Queryable } from './sql';

export interface RoleRow {
  role: string;
  superuser: boolean;
  canLogin: boolean;
}

export const rolesQuery = defineQuery<VersionArgs, RoleRow>({
  id: 'security.roles',
  title: 'Roles',
  build: () =>
    sql(`SELECT rolname::text AS "role", rolsuper AS "superuser", rolcanlogin AS "canLogin"
FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname`),
  columns: { role: 'string', superuser: 'boolean', canLogin: 'boolean' },
});

export interface RolePasswordRow {
  role: string;
  /** none | md5 | scram-sha-256 | other: how pg_authid stores it (never the hash itself). */
  passwordKind: string;
}

export const rolePasswordsQuery = defineQuery<VersionArgs, RolePasswordRow>({
  id: 'security.passwords',
  title: 'Login roles and their passwords (pg_authid)',
  build: () =>
    sql(`SELECT rolname::text AS "role",
  CASE WHEN rolpassword IS NULL THEN 'none' WHEN rolpassword LIKE 'md5%' THEN 'md5'
       WHEN rolpassword LIKE 'SCRAM-SHA-256$%' THEN 'scram-sha-256' ELSE 'other' END AS "passwordKind"
FROM pg_authid WHERE rolcanlogin ORDER BY rolname`),
  columns: { role: 'string', passwordKind: 'string' },
});

export interface PostureRow {
  /** PUBLIC holds CREATE on schema public. */
  publicCreate: boolean;
  ssl: string;
  listenAddresses: string;
  passwordEncryption: string;
}

export const postureQuery = defineQuery<VersionArgs, PostureRow>({
  id: 'security.posture',
  title: 'Security settings',
  build: () =>
    sql(`SELECT EXISTS (SELECT 1 FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
    WHERE n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type = 'CREATE') AS "publicCreate",
  current_setting('ssl') AS "ssl", current_setting('listen_addresses') AS "listenAddresses",
  current_setting('password_encryption') AS "passwordEncryption"`),
  columns: { publicCreate: 'boolean', ssl: 'string', listenAddresses: 'string', passwordEncryption: 'string' },
});

export interface DefinerFunctionRow {
  schema: string;
  name: string;
  /** pg_get_function_identity_arguments: what ALTER FUNCTION needs to name it. */
  args: string;
  owner: string;
}

export const definerFunctionsQuery = defineQuery<VersionArgs, DefinerFunctionRow>({
  id: 'security.definerFunctions',
  title: 'SECURITY DEFINER functions without a search_path',
  build: () =>
    sql(`SELECT n.nspname::text AS "schema", p.proname::text AS "name", pg_get_function_identity_arguments(p.oid) AS "args",
  pg_get_userbyid(p.proowner)::text AS "owner"
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search\\_path=%')
ORDER BY n.nspname, p.proname, 3`),
  columns: { schema: 'string', name: 'string', args: 'string', owner: 'string' },
});

export const roles = (q: Queryable, args: VersionArgs) => runQuery(q, rolesQuery, args);
export const rolePasswords = (q: Queryable, args: VersionArgs) => runQuery(q, rolePasswordsQuery, args);
export const securityPosture = async (q: Queryable, args: VersionArgs) => (await runQuery(q, postureQuery, args))[0];
export const definerFunctions = (q: Queryable, args: VersionArgs) => runQuery(q, definerFunctionsQuery, args);
