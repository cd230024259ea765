/**
 * The mails Entente sends. Each names its catalog messages (common/src/i18n/catalog/mail.ts) and
 * the placeholders its caller must give; the signature and footer are added to all of them.
 */
export interface MailTemplate {
  readonly subject: string;
  /** Plain text; a blank line separates paragraphs. */
  readonly body: string;
  readonly params: readonly string[];
}

export const MAIL_TEMPLATES = {
  /** A message that only proves the mail transport works (operators, tests). */
  test: { subject: 'mail.test.subject', body: 'mail.test.body', params: ['name'] },
  /** First sign-in of an agent. */
  welcome: { subject: 'mail.welcome.subject', body: 'mail.welcome.body', params: ['name', 'url'] },
  /** An invitation to a shared space (workspace): who invites, to which space (the role shows in the app). */
  spaceInvitation: {
    subject: 'mail.spaceInvitation.subject',
    body: 'mail.spaceInvitation.body',
    params: ['inviter', 'space', 'url', 'days'],
  },
  // ── notifications (helper N): who acted, on which document, a short excerpt (may be empty), the link ──
  notificationMention: { subject: 'notifications.mail.mention.subject', body: 'notifications.mail.mention.body', params: ['actor', 'title', 'excerpt', 'url'] },
  notificationReply: { subject: 'notifications.mail.reply.subject', body: 'notifications.mail.reply.body', params: ['actor', 'title', 'excerpt', 'url'] },
  notificationComment: { subject: 'notifications.mail.comment.subject', body: 'notifications.mail.comment.body', params: ['actor', 'title', 'excerpt', 'url'] },
  notificationShare: { subject: 'notifications.mail.share.subject', body: 'notifications.mail.share.body', params: ['actor', 'title', 'excerpt', 'url'] },
  // ── end notifications ──
} as const satisfies Record<string, MailTemplate>;

export type MailTemplateName = keyof typeof MAIL_TEMPLATES;

export function isMailTemplateName(name: string): name is MailTemplateName {
  return Object.hasOwn(MAIL_TEMPLATES, name);
}
