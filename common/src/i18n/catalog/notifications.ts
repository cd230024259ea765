/**
 * Messages of notifications (`notifications.*`): the bell in the header, the « Notifications »
 * page, the preferences on the profile page, and the mails (templates in
 * server/src/platform/mail/templates.ts). A mail's excerpt may be empty: it is a paragraph of its
 * own, dropped when empty. fr-CA: courriel.
 */
export const notifications = {
  'fr-FR': {
    'notifications.bell.label': '{count, plural, =0 {Notifications, aucune non lue} one {Notifications, # non lue} other {Notifications, # non lues}}',
    'notifications.title': 'Notifications',
    'notifications.heading': 'Notifications',
    'notifications.intro': 'Ce qui vous concerne dans les documents de vos espaces : mentions, réponses, commentaires et partages.',
    'notifications.signInFirst': 'Connectez-vous pour voir vos notifications.',
    'notifications.loading': 'Chargement des notifications…',
    'notifications.empty': 'Aucune notification pour l’instant.',
    'notifications.unreadSummary': '{count, plural, =0 {Tout est lu.} one {# notification non lue.} other {# notifications non lues.}}',
    'notifications.markAllRead': 'Tout marquer comme lu',
    'notifications.markRead': 'Marquer comme lu',
    'notifications.markReadOf': 'Marquer comme lu : {summary}',
    'notifications.markedAllRead': 'Toutes les notifications sont marquées comme lues.',
    'notifications.unread': 'Non lue',
    'notifications.more': 'Notifications plus anciennes',
    'notifications.listLabel': 'Vos notifications, des plus récentes aux plus anciennes',
    'notifications.kind.mention': '{actor} vous a mentionné dans « {title} »',
    'notifications.kind.reply': '{actor} a répondu dans « {title} »',
    'notifications.kind.comment': '{actor} a commenté « {title} »',
    'notifications.kind.share': '{actor} a partagé « {title} » avec vous',
    'notifications.someone': 'Quelqu’un',
    'notifications.unavailable': 'Document plus disponible',
    'notifications.unavailableDetail': 'Vous n’avez plus accès à ce document, ou il a été supprimé.',
    'notifications.kindName.mention': 'Mention',
    'notifications.kindName.reply': 'Réponse',
    'notifications.kindName.comment': 'Commentaire',
    'notifications.kindName.share': 'Partage',
    'notifications.failed': 'Les notifications n’ont pas pu être chargées.',

    'notifications.preferences.heading': 'Notifications',
    'notifications.preferences.intro':
      'Choisissez comment être prévenu de chaque type d’événement : dans Entente (la cloche en haut de page) et par courrier électronique.',
    'notifications.preferences.caption': 'Préférences de notification',
    'notifications.preferences.column.kind': 'Événement',
    'notifications.preferences.column.inApp': 'Dans Entente',
    'notifications.preferences.column.email': 'Par courrier électronique',
    'notifications.preferences.kind.mention': 'On vous mentionne dans un commentaire',
    'notifications.preferences.kind.reply': 'On répond à une discussion à laquelle vous participez',
    'notifications.preferences.kind.comment': 'On commente un document que vous avez créé',
    'notifications.preferences.kind.share': 'On partage un document avec vous',
    'notifications.preferences.inAppOf': '{kind} : dans Entente',
    'notifications.preferences.emailOf': '{kind} : par courrier électronique',
    'notifications.preferences.save': 'Enregistrer les préférences',
    'notifications.preferences.saved': 'Préférences de notification enregistrées.',
    'notifications.preferences.failed': 'Les préférences n’ont pas pu être enregistrées.',

    'notifications.mail.mention.subject': '{actor} vous a mentionné dans « {title} »',
    'notifications.mail.mention.body':
      'Bonjour,\n\n{actor} vous a mentionné dans un commentaire du document « {title} » sur Entente.\n\n{excerpt}\n\nPour lire et répondre : {url}\n\nVous recevez ce message selon vos préférences de notification, modifiables depuis « Mon profil ».',
    'notifications.mail.reply.subject': '{actor} a répondu dans « {title} »',
    'notifications.mail.reply.body':
      'Bonjour,\n\n{actor} a répondu à une discussion à laquelle vous participez, dans le document « {title} » sur Entente.\n\n{excerpt}\n\nPour lire et répondre : {url}\n\nVous recevez ce message selon vos préférences de notification, modifiables depuis « Mon profil ».',
    'notifications.mail.comment.subject': '{actor} a commenté « {title} »',
    'notifications.mail.comment.body':
      'Bonjour,\n\n{actor} a commenté votre document « {title} » sur Entente.\n\n{excerpt}\n\nPour lire et répondre : {url}\n\nVous recevez ce message selon vos préférences de notification, modifiables depuis « Mon profil ».',
    'notifications.mail.share.subject': '{actor} a partagé « {title} » avec vous',
    'notifications.mail.share.body':
      'Bonjour,\n\n{actor} a partagé avec vous le document « {title} » sur Entente.\n\n{excerpt}\n\nPour l’ouvrir : {url}\n\nVous recevez ce message selon vos préférences de notification, modifiables depuis « Mon profil ».',
  },
  'fr-CA': {
    'notifications.preferences.intro':
      'Choisissez comment être prévenu de chaque type d’événement : dans Entente (la cloche en haut de page) et par courriel.',
    'notifications.preferences.column.email': 'Par courriel',
    'notifications.preferences.emailOf': '{kind} : par courriel',
  },
  en: {
    'notifications.bell.label': '{count, plural, =0 {Notifications, none unread} one {Notifications, # unread} other {Notifications, # unread}}',
    'notifications.title': 'Notifications',
    'notifications.heading': 'Notifications',
    'notifications.intro': 'What concerns you in the documents of your spaces: mentions, replies, comments and shares.',
    'notifications.signInFirst': 'Sign in to see your notifications.',
    'notifications.loading': 'Loading notifications…',
    'notifications.empty': 'No notifications yet.',
    'notifications.unreadSummary': '{count, plural, =0 {All read.} one {# unread notification.} other {# unread notifications.}}',
    'notifications.markAllRead': 'Mark all as read',
    'notifications.markRead': 'Mark as read',
    'notifications.markReadOf': 'Mark as read: {summary}',
    'notifications.markedAllRead': 'All notifications are marked as read.',
    'notifications.unread': 'Unread',
    'notifications.more': 'Older notifications',
    'notifications.listLabel': 'Your notifications, newest first',
    'notifications.kind.mention': '{actor} mentioned you in “{title}”',
    'notifications.kind.reply': '{actor} replied in “{title}”',
    'notifications.kind.comment': '{actor} commented on “{title}”',
    'notifications.kind.share': '{actor} shared “{title}” with you',
    'notifications.someone': 'Someone',
    'notifications.unavailable': 'Document no longer available',
    'notifications.unavailableDetail': 'You no longer have access to this document, or it was deleted.',
    'notifications.kindName.mention': 'Mention',
    'notifications.kindName.reply': 'Reply',
    'notifications.kindName.comment': 'Comment',
    'notifications.kindName.share': 'Share',
    'notifications.failed': 'The notifications could not be loaded.',

    'notifications.preferences.heading': 'Notifications',
    'notifications.preferences.intro': 'Choose how to be told of each kind of event: in Entente (the bell at the top of the page) and by email.',
    'notifications.preferences.caption': 'Notification preferences',
    'notifications.preferences.column.kind': 'Event',
    'notifications.preferences.column.inApp': 'In Entente',
    'notifications.preferences.column.email': 'By email',
    'notifications.preferences.kind.mention': 'Someone mentions you in a comment',
    'notifications.preferences.kind.reply': 'Someone replies in a thread you take part in',
    'notifications.preferences.kind.comment': 'Someone comments on a document you created',
    'notifications.preferences.kind.share': 'Someone shares a document with you',
    'notifications.preferences.inAppOf': '{kind}: in Entente',
    'notifications.preferences.emailOf': '{kind}: by email',
    'notifications.preferences.save': 'Save preferences',
    'notifications.preferences.saved': 'Notification preferences saved.',
    'notifications.preferences.failed': 'The preferences could not be saved.',

    'notifications.mail.mention.subject': '{actor} mentioned you in “{title}”',
    'notifications.mail.mention.body':
      'Hello,\n\n{actor} mentioned you in a comment on the document “{title}” in Entente.\n\n{excerpt}\n\nTo read and reply: {url}\n\nYou receive this message according to your notification preferences, which you can change from “My profile”.',
    'notifications.mail.reply.subject': '{actor} replied in “{title}”',
    'notifications.mail.reply.body':
      'Hello,\n\n{actor} replied in a thread you take part in, on the document “{title}” in Entente.\n\n{excerpt}\n\nTo read and reply: {url}\n\nYou receive this message according to your notification preferences, which you can change from “My profile”.',
    'notifications.mail.comment.subject': '{actor} commented on “{title}”',
    'notifications.mail.comment.body':
      'Hello,\n\n{actor} commented on your document “{title}” in Entente.\n\n{excerpt}\n\nTo read and reply: {url}\n\nYou receive this message according to your notification preferences, which you can change from “My profile”.',
    'notifications.mail.share.subject': '{actor} shared “{title}” with you',
    'notifications.mail.share.body':
      'Hello,\n\n{actor} shared the document “{title}” with you in Entente.\n\n{excerpt}\n\nTo open it: {url}\n\nYou receive this message according to your notification preferences, which you can change from “My profile”.',
  },
};

export type NotificationsKey = keyof (typeof notifications)['fr-FR'];
