/**
 * What the workspace screens read and send (the contract of server/src/workspace/*routes.ts);
 * the calls themselves go through the web app's client, app/api.ts.
 */
import { getJson, problemOf, send } from '../../app/api.ts';

export type Jurisdiction = 'FR' | 'QC';
export type SpaceRole = 'owner' | 'editor' | 'commenter' | 'reader';
export type AssuranceLevel = 'low' | 'substantial' | 'high';
export type Classification = 'public' | 'internal' | 'restricted';

export const SPACE_ROLES: readonly SpaceRole[] = ['owner', 'editor', 'commenter', 'reader'];
export const ASSURANCE_LEVELS: readonly AssuranceLevel[] = ['low', 'substantial', 'high'];
export const CLASSIFICATIONS: readonly Classification[] = ['public', 'internal', 'restricted'];

const RANK: Record<SpaceRole, number> = { owner: 4, editor: 3, commenter: 2, reader: 1 };
/** Owner ⊃ editor ⊃ commenter ⊃ reader; the server decides, the page only hides what it would refuse. */
export const roleAtLeast = (role: SpaceRole, needed: SpaceRole): boolean => RANK[role] >= RANK[needed];

export interface Space {
  id: string;
  name: string;
  description: string;
  jurisdiction: Jurisdiction;
  minAssurance: AssuranceLevel;
  classification: Classification;
  role: SpaceRole;
  createdAt: string;
}

export interface DocumentSummary {
  id: string;
  spaceId: string;
  parentId: string | null;
  title: string;
  position: number;
  restricted: boolean;
  trashedAt: string | null;
  updatedAt: string;
  role: SpaceRole;
}

export interface DocumentDetails extends DocumentSummary {
  epoch: number;
  jurisdiction: Jurisdiction;
  spaceName: string;
  minAssurance: AssuranceLevel;
  insufficientAssurance: boolean;
}

export interface SpaceMember {
  principalId: string;
  givenName: string | null;
  familyName: string | null;
  jurisdiction: Jurisdiction;
  role: SpaceRole;
}

export interface Invitation {
  id: string;
  email: string;
  role: SpaceRole;
  expiresAt: string;
}

export type VersionKind = 'auto' | 'named' | 'before_restore';

export interface Version {
  id: string;
  kind: VersionKind;
  name: string | null;
  createdAt: string;
  createdBy: { principalId: string; givenName: string | null; familyName: string | null } | null;
}

export interface DiffBlock {
  op: 'same' | 'added' | 'removed';
  text: string;
}

/** ProseMirror JSON, as the server's converters write it. */
export interface JSONContent {
  type?: string;
  attrs?: Record<string, unknown>;
  content?: JSONContent[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
}

export interface Me {
  principalId: string;
  givenName?: string | null;
  familyName?: string | null;
}

/** Ids go into URLs encoded: one read from the address bar must not reshape the path. */
const enc = encodeURIComponent;

export const spacesApi = {
  list: (signal?: AbortSignal) => getJson<{ spaces: Space[] }>('/api/spaces', signal),
  get: (spaceId: string, signal?: AbortSignal) => getJson<Space>(`/api/spaces/${enc(spaceId)}`, signal),
  create: (body: { name: string; description: string; jurisdiction: Jurisdiction; minAssurance: AssuranceLevel; classification: Classification }) =>
    send<Space>('POST', '/api/spaces', body),
  /** Owners: only the fields given change. */
  update: (spaceId: string, change: Partial<Pick<Space, 'name' | 'description' | 'minAssurance' | 'classification'>>) =>
    send<Space>('PATCH', `/api/spaces/${enc(spaceId)}`, change),
  members: (spaceId: string, signal?: AbortSignal) =>
    getJson<{ members: SpaceMember[]; invitations?: Invitation[] }>(`/api/spaces/${enc(spaceId)}/members`, signal),
  invite: (spaceId: string, email: string, role: SpaceRole) => send('POST', `/api/spaces/${enc(spaceId)}/invitations`, { email, role }),
  cancelInvitation: (spaceId: string, invitationId: string) => send('DELETE', `/api/spaces/${enc(spaceId)}/invitations/${enc(invitationId)}`),
  setRole: (spaceId: string, principalId: string, role: SpaceRole) => send('PUT', `/api/spaces/${enc(spaceId)}/members/${enc(principalId)}`, { role }),
  removeMember: (spaceId: string, principalId: string) => send('DELETE', `/api/spaces/${enc(spaceId)}/members/${enc(principalId)}`),
};

export const documentsApi = {
  list: (spaceId: string, trash: boolean, signal?: AbortSignal) =>
    getJson<{ documents: DocumentSummary[] }>(`/api/spaces/${enc(spaceId)}/documents?trash=${trash}`, signal),
  get: (documentId: string, signal?: AbortSignal) => getJson<DocumentDetails>(`/api/documents/${enc(documentId)}`, signal),
  create: (spaceId: string, title: string, parentId: string | null) =>
    send<DocumentSummary>('POST', `/api/spaces/${enc(spaceId)}/documents`, parentId ? { title, parentId } : { title }),
  update: (documentId: string, change: { title?: string; parentId?: string | null; position?: number }) =>
    send<DocumentSummary>('PATCH', `/api/documents/${enc(documentId)}`, change),
  duplicate: (documentId: string) => send<DocumentSummary>('POST', `/api/documents/${enc(documentId)}/duplicate`),
  trash: (documentId: string) => send('POST', `/api/documents/${enc(documentId)}/trash`),
  restore: (documentId: string) => send('POST', `/api/documents/${enc(documentId)}/restore`),
  destroy: (documentId: string) => send('DELETE', `/api/documents/${enc(documentId)}`),
};

export const versionsApi = {
  list: (documentId: string, signal?: AbortSignal) => getJson<{ versions: Version[] }>(`/api/documents/${enc(documentId)}/versions`, signal),
  name: (documentId: string, name: string) => send<Version>('POST', `/api/documents/${enc(documentId)}/versions`, { name }),
  get: (documentId: string, versionId: string) =>
    getJson<{ version: Version; content: JSONContent }>(`/api/documents/${enc(documentId)}/versions/${enc(versionId)}`),
  diff: (documentId: string, versionId: string) =>
    getJson<{ blocks: DiffBlock[] }>(`/api/documents/${enc(documentId)}/versions/${enc(versionId)}/diff`),
  restore: (documentId: string, versionId: string) => send('POST', `/api/documents/${enc(documentId)}/versions/${enc(versionId)}/restore`),
};

/** An image uploaded into a document (server/src/workspace/images/routes.ts): `url` is same-origin. */
export interface UploadedImage {
  id: string;
  url: string;
  contentType: string;
  size: number;
}

/** The image types the server accepts (anything else is refused with its reason). */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export const imagesApi = {
  /**
   * The file itself is the body, with its own type: `send` only speaks JSON, so this call sets
   * the CSRF header the same way itself. A refusal throws a `Problem` whose detail is the
   * server's, in the page's language (it knows the limit and the declared type).
   */
  upload: async (documentId: string, file: Blob): Promise<UploadedImage> => {
    const { csrfToken } = await getJson<{ csrfToken: string }>('/api/session');
    // Into the document: only those who reach it will read the image (restrictions included).
    const response = await fetch(`/api/documents/${enc(documentId)}/images`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'x-csrf-token': csrfToken, 'content-type': file.type || 'application/octet-stream' },
      body: file,
    });
    if (!response.ok) throw await problemOf(response);
    return (await response.json()) as UploadedImage;
  },
};


export const personName = (p: { givenName?: string | null; familyName?: string | null } | null | undefined, fallback: string): string =>
  (p && [p.givenName, p.familyName].filter(Boolean).join(' ')) || fallback;

export const spacePath = (spaceId: string) => `/espaces/${enc(spaceId)}`;
export const documentPath = (spaceId: string, documentId: string) => `/espaces/${enc(spaceId)}/documents/${enc(documentId)}`;
