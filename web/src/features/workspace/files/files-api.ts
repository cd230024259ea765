/**
 * What the files screens read and send: the files REST API of server/src/workspace/files (its
 * contract is written in the files module's README and the data-plane brief). Calls go through the
 * web app's client, app/api.ts (session cookie, CSRF token on changes, problems thrown).
 */
import { getJson, send } from '../../../app/api.ts';

export type FileStatus = 'clean' | 'unscanned' | 'quarantined';

export interface PersonRef {
  id: string;
  name: string;
}

export interface FileItem {
  id: string;
  kind: 'folder' | 'file';
  name: string;
  parentId: string | null;
  size: number | null;
  contentType: string | null;
  status: FileStatus;
  versionCount: number;
  updatedAt: string;
  updatedBy: PersonRef | null;
  trashedAt: string | null;
  thumbnailUrl: string | null;
  /** Null when the file is quarantined (the server refuses its bytes). */
  downloadUrl: string | null;
}

export interface QuotaUsage {
  used: number;
  limit: number;
}

export interface QuotaView {
  space: QuotaUsage;
  /** The signed-in agent's organisation: the bytes its agents uploaded, across both cells. */
  organisation: (QuotaUsage & { id: string; name: string }) | null;
}

export interface FolderRef {
  id: string;
  name: string;
}

export interface FolderListing {
  folder: { id: string; name: string; parentId: string | null } | null;
  /** From the root (excluded) down to the folder itself. */
  path: FolderRef[];
  items: FileItem[];
  quota: QuotaView;
  /** The live role's answer: editors and owners change files, readers only read. */
  canEdit: boolean;
}

export interface FileVersion {
  id: string;
  number: number;
  size: number;
  contentType: string | null;
  status: FileStatus;
  createdAt: string;
  createdBy: PersonRef | null;
  current: boolean;
}

/** Ids go into URLs encoded: one read from the address bar must not reshape the path. */
const enc = encodeURIComponent;

export const filesApi = {
  list: (spaceId: string, options: { folderId?: string | null; trash?: boolean }, signal?: AbortSignal) => {
    const query = new URLSearchParams();
    if (options.folderId) query.set('folderId', options.folderId);
    if (options.trash) query.set('view', 'trash');
    const search = query.size > 0 ? `?${query}` : '';
    return getJson<FolderListing>(`/api/spaces/${enc(spaceId)}/files${search}`, signal);
  },
  createFolder: (spaceId: string, name: string, parentId: string | null) =>
    send<FileItem>('POST', `/api/spaces/${enc(spaceId)}/folders`, { name, parentId }),
  update: (id: string, change: { name?: string; parentId?: string | null }) => send<FileItem>('PATCH', `/api/files/${enc(id)}`, change),
  trash: (id: string) => send<FileItem>('POST', `/api/files/${enc(id)}/trash`),
  restore: (id: string) => send<FileItem>('POST', `/api/files/${enc(id)}/restore`),
  destroy: (id: string) => send('DELETE', `/api/files/${enc(id)}`),
  versions: (id: string, signal?: AbortSignal) => getJson<{ versions: FileVersion[] }>(`/api/files/${enc(id)}/versions`, signal),
  restoreVersion: (id: string, versionId: string) => send<FileItem>('POST', `/api/files/${enc(id)}/versions/${enc(versionId)}/restore`),
};

/** The download address of a file (its current version, or `versionId`): always as an attachment. */
export function downloadHref(item: Pick<FileItem, 'id' | 'downloadUrl'>, versionId?: string): string {
  const url = new URL(item.downloadUrl ?? `/api/files/${enc(item.id)}/content`, window.location.origin);
  if (versionId) url.searchParams.set('version', versionId);
  url.searchParams.set('download', '1');
  // Same origin by construction: keep it relative, as every other link of the app.
  return `${url.pathname}${url.search}`;
}

export const filesPath = (spaceId: string, folderId?: string | null, trash = false) =>
  `/espaces/${enc(spaceId)}/fichiers${folderId ? `/${enc(folderId)}` : ''}${trash ? '?vue=corbeille' : ''}`;
