// A throw-away certificate authority and a server certificate it signed, made by openssl for the TLS
// tests (sslmode=verify-full): the server's key and certificate go where PostgreSQL reads them, the
// CA's certificate is what the client is told to trust (NODE_EXTRA_CA_CERTS, PGSSLROOTCERT).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** Why openssl cannot make them here, or undefined. */
export function opensslMissing(): string | undefined {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'openssl is missing (apt-get install openssl)';
  }
}

/** A CA and a certificate for `dnsNames` (its subjectAltName), valid for a day, in `dir`. */
export function makeTestCertificates(dir: string, dnsNames: string[]): TestCertificates {
  const caKey = join(dir, 'ca.key');
  const caFile = join(dir, 'ca.crt');
  const keyFile = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const certFile = join(dir, 'server.crt');
  const ext = join(dir, 'server.ext');
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caFile, '-days', '1', '-subj', '/CN=pgdba test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', `/CN=${dnsNames[0] ?? 'server'}`);
  writeFileSync(ext, `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(',')}\n`);
  openssl('x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-out', certFile, '-days', '1', '-extfile', ext);
  return { caFile, certFile, keyFile };
}
