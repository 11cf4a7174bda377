// Google Drive as the nightly job reaches it: the credentials file (readable by the job's user,
// not by everyone, a service-account key or an OAuth authorized_user file) and the folder, asked
// for through pgdba's own Drive client within a deadline.
import type { HostAccess } from '../host/hostAccess';
import { openDrive, probeDriveFolder, type DriveAuthOptions, type DriveCredentials } from '../backup/driveClient';
import { shellQuote } from '../shellQuote';
import { mayAccess, type HostUser } from './account';
import type { DoctorCheck } from './types';

export interface DriveCheckOptions {
  credentialsFile?: string;
  folderId?: string;
  /** Tests: a ready token and a local Drive (PGDBA_GOOGLE_ACCESS_TOKEN, PGDBA_DRIVE_ROOT_URL). */
  auth?: Pick<DriveAuthOptions, 'accessToken' | 'rootUrl'>;
  timeoutMs: number;
}

type CredentialKind = 'service account' | 'OAuth (authorized_user)';

/** The file's kind, and who it acts as (never a secret). */
export function credentialKind(json: unknown): { kind: CredentialKind; who: string } | string {
  if (typeof json !== 'object' || json === null) return 'it is not a JSON object';
  const o = json as Record<string, unknown>;
  if (o.type === 'service_account') {
    if (typeof o.client_email !== 'string' || typeof o.private_key !== 'string') return 'a service-account key without client_email or private_key';
    return { kind: 'service account', who: o.client_email };
  }
  if (o.type === 'authorized_user') {
    if (typeof o.client_id !== 'string' || typeof o.refresh_token !== 'string') return 'an authorized_user file without client_id or refresh_token';
    return { kind: 'OAuth (authorized_user)', who: `client ${o.client_id.split('.')[0] ?? ''}` };
  }
  return `its "type" is ${JSON.stringify(o.type ?? null)}, neither "service_account" nor "authorized_user"`;
}

/** A deadline around the whole probe: the token exchange has its own requests too. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${Math.round(ms / 1000)} s`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export async function driveChecks(host: HostAccess, user: HostUser | undefined, o: DriveCheckOptions): Promise<DoctorCheck[]> {
  const file = o.credentialsFile;
  if (!file && !o.folderId) return [{ id: 'google-credentials', level: 'skip', summary: 'no Google Drive: no --drive-folder nor credentials given' }];
  if (!file)
    return [
      {
        id: 'google-credentials',
        level: 'fail',
        summary: `a Drive folder is given but no credentials file: the upload would fail`,
        fix: 'give --google-credentials FILE (the unit sets PGDBA_GOOGLE_CREDENTIALS)',
      },
    ];
  const checks: DoctorCheck[] = [];
  const credentials = await readCredentials(host, user, file, checks);
  if (!o.folderId) {
    checks.push({ id: 'drive-folder', level: 'skip', summary: 'no --drive-folder: the folder was not asked for' });
    return checks;
  }
  if (!credentials && !o.auth?.accessToken) return checks;
  try {
    const s = await openDrive({ ...(credentials ? { credentials } : {}), ...o.auth });
    const f = await within(probeDriveFolder(s, o.folderId, o.timeoutMs), o.timeoutMs, 'Google Drive');
    checks.push(
      f.isFolder
        ? { id: 'drive-folder', level: 'ok', summary: `Drive folder "${f.name}" (${o.folderId}) is reachable with these credentials` }
        : {
            id: 'drive-folder',
            level: 'fail',
            summary: `${o.folderId} ("${f.name}") is a file on Drive, not a folder`,
            fix: "give the folder's id: the last part of its URL",
          },
    );
  } catch (e) {
    checks.push({
      id: 'drive-folder',
      level: 'fail',
      summary: `Drive folder ${o.folderId} cannot be reached: ${(e instanceof Error ? e.message : String(e)).split('\n')[0] ?? ''}`,
      fix: "share the folder with the service account's e-mail (Editor), check the id, and that this machine reaches www.googleapis.com",
    });
  }
  return checks;
}

async function readCredentials(host: HostAccess, user: HostUser | undefined, file: string, checks: DoctorCheck[]): Promise<DriveCredentials | undefined> {
  const fail = (summary: string, fix?: string) => (checks.push({ id: 'google-credentials', level: 'fail', summary, ...(fix ? { fix } : {}) }), undefined);
  const st = await host.stat(file).catch((e: unknown) => e as Error);
  if (st instanceof Error) return fail(`${file} cannot be looked at: ${st.message}`);
  if (!st) return fail(`${file} does not exist on ${host.label}`, 'copy the key there (mode 0600, owned by the service user)');
  if (!st.isFile) return fail(`${file} is not a file`);
  if (user && !mayAccess(st, user, 0o4))
    return fail(`${file} is not readable by ${user.name}`, `sudo chown ${user.name}: ${shellQuote(file)} && sudo chmod 0600 ${shellQuote(file)}`);
  let json: unknown;
  try {
    json = JSON.parse((await host.readFile(file, { maxBytes: 64 * 1024 })).toString('utf8'));
  } catch (e) {
    return fail(
      `${file} cannot be read as JSON: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      'download the key again from Google Cloud (IAM → Service accounts → Keys)',
    );
  }
  const kind = credentialKind(json);
  if (typeof kind === 'string') return fail(`${file}: ${kind}`, 'give a service-account key or an OAuth authorized_user file');
  const open = (st.mode & 0o004) !== 0;
  checks.push({
    id: 'google-credentials',
    level: open ? 'warn' : 'ok',
    summary: `${file}: ${kind.kind} ${kind.who}${open ? `, readable by every user (mode ${(st.mode & 0o777).toString(8)})` : ''}`,
    ...(open ? { fix: `sudo chmod 0600 ${shellQuote(file)}` } : {}),
  });
  return json as DriveCredentials;
}
