/**
 * What the comments panel reads and sends (the contract of server/src/workspace/comments/routes.ts).
 */
import { getJson, send } from '../../../app/api.ts';
import type { SpaceMember, SpaceRole } from '../api.ts';

export const REACTIONS = ['👍', '👎', '❤️', '🎉', '😄', '🤔', '👀', '✅'] as const;
export type Reaction = (typeof REACTIONS)[number];
export const BODY_MAX = 10_000;
export const QUOTE_MAX = 1_000;

export interface Person {
  principalId: string;
  givenName: string | null;
  familyName: string | null;
}

export interface CommentItem {
  id: string;
  threadId: string;
  authorId: string;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  reactions: { emoji: Reaction; count: number; mine: boolean }[];
  canEdit: boolean;
  canDelete: boolean;
}

export interface Thread {
  id: string;
  documentId: string;
  anchor: { start: string; end: string };
  quote: string;
  createdBy: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  comments: CommentItem[];
}

export interface Listing {
  canComment: boolean;
  threads: Thread[];
  people: Person[];
}

export interface Written {
  thread: Thread;
  comment: CommentItem;
  unreachableMentions: Person[];
}

export interface Candidate extends Person {
  canRead: boolean;
}

export interface Mentionable {
  agents: Candidate[];
  /** The actor may add someone to a restricted document's access list (owners). */
  canShare: boolean;
  /** The actor may invite someone into the space by address (owners of the space). */
  canInvite: boolean;
}

/** What `POST /api/spaces/:id/invitations` answers: `member` when the agent joined at once. */
export interface InvitationAnswer {
  invitation: { id: string; email: string; role: SpaceRole; expiresAt: string };
  member?: SpaceMember;
}

/** The roles one may give from a mention: reading and commenting, never more. */
export const MENTION_INVITE_ROLES = ['commenter', 'reader'] as const;
export type MentionInviteRole = (typeof MENTION_INVITE_ROLES)[number];

// As the server's check of the invitation body (zod's email): what it would refuse is not offered.
const ADDRESS = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** Whether the text typed after `@` is a (work) e-mail address one may invite. */
export const isAddress = (text: string): boolean => text.length <= 254 && ADDRESS.test(text);

const base = (documentId: string) => `/api/documents/${encodeURIComponent(documentId)}`;

export const commentsApi = {
  list: (documentId: string, signal?: AbortSignal) => getJson<Listing>(`${base(documentId)}/comments`, signal),
  open: async (documentId: string, input: { anchor: { start: string; end: string }; quote: string; body: string }) =>
    (await send<Written>('POST', `${base(documentId)}/comments`, input)) as Written,
  reply: async (documentId: string, threadId: string, body: string) =>
    (await send<Written>('POST', `${base(documentId)}/comment-threads/${threadId}/replies`, { body })) as Written,
  resolve: (documentId: string, threadId: string, resolved: boolean) => send<Thread>('PATCH', `${base(documentId)}/comment-threads/${threadId}`, { resolved }),
  edit: (documentId: string, commentId: string, body: string) => send<CommentItem>('PATCH', `${base(documentId)}/comments/${commentId}`, { body }),
  remove: (documentId: string, commentId: string) => send<undefined>('DELETE', `${base(documentId)}/comments/${commentId}`),
  react: (documentId: string, commentId: string, emoji: Reaction, on: boolean) =>
    send<{ reactions: CommentItem['reactions'] }>(on ? 'PUT' : 'DELETE', `${base(documentId)}/comments/${commentId}/reactions/${encodeURIComponent(emoji)}`),
  mentionable: (documentId: string, q: string, signal?: AbortSignal) =>
    getJson<Mentionable>(`${base(documentId)}/mentionable?q=${encodeURIComponent(q.slice(0, 100))}`, signal),
  /** Owners of the space only (spaces/routes.ts); the server decides. */
  invite: async (spaceId: string, email: string, role: MentionInviteRole) =>
    (await send<InvitationAnswer>('POST', `/api/spaces/${encodeURIComponent(spaceId)}/invitations`, { email, role })) as InvitationAnswer,
  /**
   * Owners only: adds the agent to a restricted document's access list, one entry on the server
   * (documents/access-entry-routes.ts) — never the list read and written back, which would let two
   * owners granting at once overwrite each other. Already listed: unchanged.
   */
  grantAccess: async (documentId: string, principalId: string, role: SpaceRole) => {
    await send('POST', `${base(documentId)}/access/entries`, { principalId, role });
  },
};

const MENTION = /<@([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>/gi;

/** A body split into text and mentions, for display. */
export function bodyParts(body: string): ({ text: string } | { mention: string })[] {
  const parts: ({ text: string } | { mention: string })[] = [];
  let last = 0;
  for (const match of body.matchAll(MENTION)) {
    if (match.index > last) parts.push({ text: body.slice(last, match.index) });
    parts.push({ mention: (match[1] as string).toLowerCase() });
    last = match.index + match[0].length;
  }
  if (last < body.length) parts.push({ text: body.slice(last) });
  return parts;
}

export const nameOf = (person: Person | undefined): string | null => {
  const name = [person?.givenName, person?.familyName].filter(Boolean).join(' ');
  return name || null;
};

/**
 * The textarea shows mentions as « @Given Family »; the body sent holds `<@id>` tokens. `known`
 * maps each display name picked (or already in the comment) to its principal.
 */
export function toTokens(text: string, known: ReadonlyMap<string, string>): string {
  let out = text;
  // Longest names first: « @Marie Dupont-Durand » before « @Marie Dupont ».
  for (const [name, id] of [...known].sort((a, b) => b[0].length - a[0].length)) out = out.split(`@${name}`).join(`<@${id}>`);
  return out;
}

export function fromTokens(body: string, people: ReadonlyMap<string, Person>, unknown: string): { text: string; known: Map<string, string> } {
  const known = new Map<string, string>();
  const text = bodyParts(body)
    .map((part) => {
      if ('text' in part) return part.text;
      const name = nameOf(people.get(part.mention)) ?? unknown;
      known.set(name, part.mention);
      return `@${name}`;
    })
    .join('');
  return { text, known };
}
