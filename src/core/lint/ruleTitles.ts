// One-line titles of the pg_hba.conf and pgbouncer.ini rules, for SARIF rule metadata and the
// editor; the full text of every code is in docs/lint-rules.md.

const HBA_RULE_TITLES: Record<string, string> = {
  HBA001: 'Invalid connection type',
  HBA002: 'Missing field (end of line before a required field)',
  HBA003: 'Several values where PostgreSQL takes one',
  HBA004: 'Invalid IP address, or host name with a CIDR mask',
  HBA005: 'Invalid CIDR mask or netmask',
  HBA006: 'Unknown authentication method',
  HBA007: 'Authentication method not allowed on this connection type',
  HBA008: 'Invalid authentication option',
  HBA009: 'Included file or @file missing',
  HBA010: 'File contains no entries',
  HBA011: 'Included file or @file is not a regular file (or over 10 MB)',
  HBA012: 'Unterminated double quote',
  HBA013: 'Invalid regular expression',
  HBA014: 'Regular expression before PostgreSQL 16',
  HBA015: 'hostssl line while ssl = off',
  HBA020: 'trust on a TCP/IP line',
  HBA021: 'password (clear text) on a TCP/IP line',
  HBA022: 'md5 instead of scram-sha-256',
  HBA023: 'Line open to the whole internet',
  HBA024: 'Line that can never match',
  HBA025: 'Check for lines that can never match stopped (file too large)',
  HBA026: 'Unencrypted TCP/IP line beyond this machine while ssl = off',
};

const PGB_RULE_TITLES: Record<string, string> = {
  PGB001: 'Syntax error',
  PGB002: 'Unknown section',
  PGB003: 'Setting outside any section',
  PGB004: 'Unknown [pgbouncer] parameter',
  PGB005: 'Invalid value',
  PGB006: 'End-of-line comment taken as part of the value',
  PGB007: 'Setting given twice',
  PGB008: 'Invalid [databases] entry',
  PGB009: 'Invalid [users] entry',
  PGB010: 'Invalid [peers] entry',
  PGB011: '%include file missing',
  PGB012: 'Value PgBouncer loads but cannot use',
  PGB013: '%include target is not a regular file (or over 10 MB)',
  PGB020: 'One pool larger than the server accepts',
  PGB021: 'Connection limit above what the server accepts',
  PGB022: 'Listed databases together exceed the server',
  PGB023: 'Pools that multiply with clients may exceed the server',
  PGB030: 'auth_type does not fit password_encryption',
  PGB031: 'auth_type without real authentication',
  PGB032: 'auth_type without users or HBA file',
};

export function ruleTitle(code: string): string | undefined {
  return HBA_RULE_TITLES[code] ?? PGB_RULE_TITLES[code];
}
