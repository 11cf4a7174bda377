// Authentication methods and their name=value options, as parse_hba_line / parse_hba_auth_opt
// in PostgreSQL's src/backend/libpq/hba.c accept them, per major version 13–18.
import type { HbaConnType } from './hbaParser';

export const HBA_METHODS = [
  'trust',
  'reject',
  'scram-sha-256',
  'md5',
  'password',
  'gss',
  'sspi',
  'ident',
  'peer',
  'pam',
  'ldap',
  'radius',
  'cert',
  'bsd',
  'oauth',
] as const;
export type HbaMethod = (typeof HBA_METHODS)[number];

/** First major that knows the method (all others exist in 13). */
const METHOD_SINCE: Partial<Record<HbaMethod, number>> = { oauth: 18 };

export function methodKnown(name: string, major: number): name is HbaMethod {
  const m = HBA_METHODS.find((x) => x === name);
  return m !== undefined && (METHOD_SINCE[m] ?? 13) <= major;
}

export function methodSince(name: string): number | undefined {
  const m = HBA_METHODS.find((x) => x === name);
  return m ? (METHOD_SINCE[m] ?? 13) : undefined;
}

export interface HbaOptionSpec {
  /** Methods the option is valid for; 'hostssl' means any method on a hostssl line. */
  methods: readonly HbaMethod[] | 'hostssl';
  since?: number;
  /** Allowed values, when the server checks them. */
  values?: (major: number, method: HbaMethod) => readonly string[];
}

const LDAP: readonly HbaMethod[] = ['ldap'];
const RADIUS: readonly HbaMethod[] = ['radius'];

export const HBA_OPTIONS: Record<string, HbaOptionSpec> = {
  map: { methods: ['ident', 'peer', 'gss', 'sspi', 'cert', 'oauth'] },
  clientcert: {
    methods: 'hostssl',
    // PostgreSQL 13 still took 1, 0 and no-verify (with cert: not 0 or no-verify); 14 kept only
    // verify-ca and verify-full (with cert: verify-full). The hba truth test checks each major.
    values: (major, method) =>
      major >= 14
        ? method === 'cert'
          ? ['verify-full']
          : ['verify-ca', 'verify-full']
        : method === 'cert'
          ? ['verify-ca', 'verify-full', '1']
          : ['verify-ca', 'verify-full', '1', '0', 'no-verify'],
  },
  clientname: { methods: 'hostssl', since: 14, values: () => ['CN', 'DN'] },
  pamservice: { methods: ['pam'] },
  pam_use_hostname: { methods: ['pam'] },
  ldapurl: { methods: LDAP },
  ldaptls: { methods: LDAP },
  ldapscheme: { methods: LDAP, values: () => ['ldap', 'ldaps'] },
  ldapserver: { methods: LDAP },
  ldapport: { methods: LDAP },
  ldapbinddn: { methods: LDAP },
  ldapbindpasswd: { methods: LDAP },
  ldapsearchattribute: { methods: LDAP },
  ldapsearchfilter: { methods: LDAP },
  ldapbasedn: { methods: LDAP },
  ldapprefix: { methods: LDAP },
  ldapsuffix: { methods: LDAP },
  krb_realm: { methods: ['gss', 'sspi'] },
  include_realm: { methods: ['gss', 'sspi'] },
  compat_realm: { methods: ['sspi'] },
  upn_username: { methods: ['sspi'] },
  radiusservers: { methods: RADIUS },
  radiusports: { methods: RADIUS },
  radiussecrets: { methods: RADIUS },
  radiusidentifiers: { methods: RADIUS },
  issuer: { methods: ['oauth'], since: 18 },
  scope: { methods: ['oauth'], since: 18 },
  validator: { methods: ['oauth'], since: 18 },
  delegate_ident_mapping: { methods: ['oauth'], since: 18 },
};

/** Problems PostgreSQL reports for a method on a connection type (peer on host, …). */
export function methodConnProblem(method: HbaMethod, conn: HbaConnType): string | undefined {
  if (conn === 'local' && method === 'gss') return 'gssapi authentication is not supported on local sockets';
  if (conn !== 'local' && method === 'peer') return 'peer authentication is only supported on local sockets';
  if (conn !== 'hostssl' && method === 'cert') return 'cert authentication is only supported on hostssl connections';
  return undefined;
}

/** Mandatory options and mode conflicts, checked after all options are read. */
export function missingOptions(method: HbaMethod, opts: ReadonlySet<string>): string | undefined {
  if (method === 'ldap') {
    const simple = opts.has('ldapprefix') || opts.has('ldapsuffix');
    const search = ['ldapbasedn', 'ldapbinddn', 'ldapbindpasswd', 'ldapsearchattribute', 'ldapsearchfilter'].some((o) => opts.has(o));
    if (simple && search) return 'cannot mix options for simple bind and search+bind modes';
    if (!simple && !opts.has('ldapbasedn') && !opts.has('ldapurl'))
      return 'authentication method "ldap" requires argument "ldapbasedn", "ldapprefix", or "ldapsuffix" to be set';
    if (opts.has('ldapsearchattribute') && opts.has('ldapsearchfilter')) return 'cannot use ldapsearchattribute together with ldapsearchfilter';
  }
  if (method === 'radius') {
    if (!opts.has('radiusservers')) return 'authentication method "radius" requires argument "radiusservers" to be set';
    if (!opts.has('radiussecrets')) return 'authentication method "radius" requires argument "radiussecrets" to be set';
  }
  if (method === 'oauth' && !opts.has('issuer')) return 'authentication method "oauth" requires argument "issuer" to be set';
  return undefined;
}

/** Edit distance, for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c.startsWith(lower) || lower.startsWith(c)) return c;
    const d = editDistance(lower, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
