// Google Drive for backups: auth from a file the person points to (a service-account key or an
// OAuth "authorized_user" file), list / download / delete with the googleapis client, uploads in
// driveUpload.ts. @googleapis/drive is loaded only when a Drive action runs.
import { createHash } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { drive_v3 } from '@googleapis/drive';
import { createBackupFile, PRIVATE, type FileAccess } from './fileAccess';
import { parseBackupName, tempPathFor } from './naming';
import { uploadResumable, type UploadOptions } from './driveUpload';
import { importBundled } from '../bundledPart';

/** The parsed contents of such a file (one read on another machine, by `pgdba doctor --ssh`). */
export type DriveCredentials = NonNullable<NonNullable<ConstructorParameters<typeof import('@googleapis/drive').auth.GoogleAuth>[0]>['credentials']>;

export interface DriveAuthOptions {
  /** Service-account key or OAuth authorized_user JSON; never copied, never logged. */
  credentialsFile?: string;
  /** The same, already read; kept in memory only. */
  credentials?: DriveCredentials;
  /** A ready access token (tests, or a token the editor obtained). */
  accessToken?: string;
  /** Where Drive is: https://www.googleapis.com/ unless a test points it elsewhere. */
  rootUrl?: string;
}

export interface DriveFile {
  id: string;
  name: string;
  size?: number;
  md5Checksum?: string;
  createdTime?: string;
}

const SCOPES = ['https://www.googleapis.com/auth/drive'];
const FIELDS = 'id,name,size,md5Checksum,createdTime';

export interface DriveSession {
  api: drive_v3.Drive;
  rootUrl: string;
  headers(): Promise<Record<string, string>>;
}

type DriveModule = typeof import('./driveModule');

/** Drive's client (dist/drive.js), on the first Drive action. */
const loadDriveModule = () => importBundled<DriveModule>('drive', './backup/driveModule');

export async function openDrive(opts: DriveAuthOptions): Promise<DriveSession> {
  const mod = await loadDriveModule();
  const rootUrl = (opts.rootUrl ?? 'https://www.googleapis.com/').replace(/\/?$/, '/');
  let auth: InstanceType<typeof mod.auth.OAuth2> | InstanceType<typeof mod.auth.GoogleAuth>;
  if (opts.accessToken) {
    const o = new mod.auth.OAuth2();
    o.setCredentials({ access_token: opts.accessToken });
    auth = o;
  } else if (opts.credentialsFile) {
    auth = new mod.auth.GoogleAuth({ keyFile: opts.credentialsFile, scopes: SCOPES });
  } else if (opts.credentials) {
    auth = new mod.auth.GoogleAuth({ credentials: opts.credentials, scopes: SCOPES });
  } else {
    throw new Error('Google Drive needs credentials: point pgdba to a service-account key or OAuth credentials file (PGDBA_GOOGLE_CREDENTIALS)');
  }
  const api = mod.drive({ version: 'v3', auth, rootUrl });
  return {
    api,
    rootUrl,
    async headers() {
      const h = await auth.getRequestHeaders();
      const out: Record<string, string> = {};
      h.forEach((v, k) => (out[k] = v));
      return out;
    },
  };
}

/** Quotes a value inside a Drive query string. */
function qValue(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function toFile(f: drive_v3.Schema$File): DriveFile {
  return {
    id: f.id ?? '',
    name: f.name ?? '',
    ...(f.size ? { size: Number(f.size) } : {}),
    ...(f.md5Checksum ? { md5Checksum: f.md5Checksum } : {}),
    ...(f.createdTime ? { createdTime: f.createdTime } : {}),
  };
}

export async function listDriveFolder(s: DriveSession, folderId: string): Promise<DriveFile[]> {
  const out: DriveFile[] = [];
  let pageToken: string | undefined;
  do {
    const r = await s.api.files.list({
      q: `${qValue(folderId)} in parents and trashed=false`,
      fields: `nextPageToken,files(${FIELDS})`,
      pageSize: 1000,
      pageToken,
      supportsAllDrives: true,
      includeItemsFromAllDrives: true,
    });
    for (const f of r.data.files ?? []) out.push(toFile(f));
    pageToken = r.data.nextPageToken ?? undefined;
  } while (pageToken);
  return out.sort((a, b) => b.name.localeCompare(a.name));
}

export const FOLDER_MIME = 'application/vnd.google-apps.folder';

/** The folder's name, read within `timeoutMs`: it exists, and these credentials may see it. */
export async function probeDriveFolder(s: DriveSession, folderId: string, timeoutMs: number): Promise<{ name: string; isFolder: boolean }> {
  const r = await s.api.files.get({ fileId: folderId, fields: 'id,name,mimeType', supportsAllDrives: true }, { timeout: timeoutMs, retry: false });
  return { name: r.data.name ?? folderId, isFolder: r.data.mimeType === FOLDER_MIME };
}

export async function uploadBackup(s: DriveSession, file: string, folderId: string, opts: UploadOptions = {}): Promise<DriveFile> {
  return uploadResumable(s, file, { name: basename(file), parents: [folderId] }, opts);
}

/** Streams to a temp file beside dest, checks md5 against Drive's, renames; else deletes. */
export async function downloadBackup(s: DriveSession, fileId: string, dest: string, signal?: AbortSignal, access: FileAccess = PRIVATE): Promise<DriveFile> {
  const meta = toFile((await s.api.files.get({ fileId, fields: FIELDS, supportsAllDrives: true })).data);
  const tmp = tempPathFor(dirname(dest), basename(dest), 'download');
  const md5 = createHash('md5');
  try {
    const r = await s.api.files.get({ fileId, alt: 'media', supportsAllDrives: true }, { responseType: 'stream', signal });
    const hasher = new Transform({
      transform(chunk: Buffer, _e, cb) {
        md5.update(chunk);
        cb(null, chunk);
      },
    });
    await pipeline(r.data, hasher, (await createBackupFile(tmp, access)).createWriteStream());
    const got = md5.digest('hex');
    if (meta.md5Checksum && got !== meta.md5Checksum) throw new Error(`download of ${meta.name} is damaged: md5 ${got} but Drive says ${meta.md5Checksum}`);
    const fh = await open(tmp, 'r+');
    await fh.sync().finally(() => fh.close());
    await rename(tmp, dest);
    return meta;
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

export async function deleteDriveFile(s: DriveSession, fileId: string): Promise<void> {
  await s.api.files.delete({ fileId, supportsAllDrives: true });
}

/** Optional retention on Drive (the seed keeps everything): last N per database, by name. */
export async function applyDriveRetention(s: DriveSession, folderId: string, keepLast: number): Promise<DriveFile[]> {
  const files = (await listDriveFolder(s, folderId)).filter((f) => parseBackupName(f.name));
  const byDb = new Map<string, DriveFile[]>();
  for (const f of files) {
    const db = parseBackupName(f.name)!.database;
    byDb.set(db, [...(byDb.get(db) ?? []), f]);
  }
  const removed: DriveFile[] = [];
  for (const list of byDb.values()) {
    list.sort((a, b) => parseBackupName(b.name)!.takenAt.getTime() - parseBackupName(a.name)!.takenAt.getTime());
    for (const f of list.slice(Math.max(1, keepLast))) {
      await deleteDriveFile(s, f.id);
      removed.push(f);
    }
  }
  return removed;
}
