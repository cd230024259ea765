/**
 * Messages of the e-mails Entente sends (`mail.*`), owned by the mail platform
 * (server/src/platform/mail). Mails are plain text: the HTML version is the same text, escaped.
 * A template is a subject and a body (paragraphs separated by a blank line); the signature and
 * the footer are added to every mail. `mail.demoOutbox.*` is the demo outbox page.
 * fr-CA holds only Québec usage (courriel).
 */
export const mail = {
  'fr-FR': {
    'mail.signature': 'L’équipe Entente',
    'mail.footer':
      'Ce message automatique vous est envoyé par Entente, l’espace de travail numérique partagé des administrations de la France et du Québec ({url}). Merci de ne pas y répondre.',

    'mail.test.subject': 'Message de test d’Entente',
    'mail.test.body':
      'Bonjour {name},\n\nCeci est un message de test : si vous le lisez, l’envoi des messages d’Entente fonctionne.',

    'mail.welcome.subject': 'Bienvenue dans Entente, {name}',
    'mail.welcome.body':
      'Bonjour {name},\n\nVotre compte Entente est prêt : vous pouvez dès maintenant rejoindre les espaces partagés par les administrations françaises et québécoises.\n\nPour vous connecter, rendez-vous sur {url} et choisissez le service d’identification de votre administration.',

    'mail.demoOutbox.title': 'Boîte d’envoi de démonstration',
    'mail.demoOutbox.intro':
      'Mode démonstration : Entente n’envoie aucun message. Ceux qu’il aurait envoyés sont conservés ici, chacun dans la cellule de données (France ou Québec) de son destinataire.',
    'mail.demoOutbox.caption':
      '{count, plural, =0 {Aucun message} one {# message, du plus récent au plus ancien} other {# messages, du plus récent au plus ancien}}',
    'mail.demoOutbox.empty': 'Aucun message pour l’instant.',
    'mail.demoOutbox.column.date': 'Date',
    'mail.demoOutbox.column.cell': 'Cellule',
    'mail.demoOutbox.column.to': 'Destinataire',
    'mail.demoOutbox.column.subject': 'Objet',
    'mail.demoOutbox.column.body': 'Contenu',
    'mail.demoOutbox.date': '{date, date, medium} {date, time, medium}',
    'mail.demoOutbox.cell.FR': 'France',
    'mail.demoOutbox.cell.QC': 'Québec',

    // ── workspace: invitation to a space ──
    'mail.spaceInvitation.subject': '{inviter} vous invite dans l’espace « {space} »',
    'mail.spaceInvitation.body':
      'Bonjour,\n\n{inviter} vous invite à rejoindre l’espace partagé « {space} » sur Entente.\n\nPour l’accepter, connectez-vous sur {url} avec le service d’identification de votre administration et cette même adresse : l’espace apparaîtra dans votre liste. L’invitation est valable {days} jours.\n\nSi vous ne connaissez pas cette personne, ignorez ce message : sans connexion de votre part, rien ne se passe.',
  },
  'fr-CA': {
    'mail.footer':
      'Ce courriel automatique vous est envoyé par Entente, l’espace de travail numérique partagé des administrations de la France et du Québec ({url}). Merci de ne pas y répondre.',
    'mail.test.subject': 'Courriel de test d’Entente',
    'mail.test.body':
      'Bonjour {name},\n\nCeci est un courriel de test : si vous le lisez, l’envoi des courriels d’Entente fonctionne.',
    'mail.demoOutbox.intro':
      'Mode démonstration : Entente n’envoie aucun courriel. Ceux qu’il aurait envoyés sont conservés ici, chacun dans la cellule de données (France ou Québec) de son destinataire.',
    'mail.demoOutbox.caption':
      '{count, plural, =0 {Aucun courriel} one {# courriel, du plus récent au plus ancien} other {# courriels, du plus récent au plus ancien}}',
    'mail.demoOutbox.empty': 'Aucun courriel pour l’instant.',

    // ── workspace: invitation to a space ──
    'mail.spaceInvitation.body':
      'Bonjour,\n\n{inviter} vous invite à rejoindre l’espace partagé « {space} » sur Entente.\n\nPour l’accepter, connectez-vous sur {url} avec le service d’authentification de votre organisation et cette même adresse courriel : l’espace apparaîtra dans votre liste. L’invitation est valable {days} jours.\n\nSi vous ne connaissez pas cette personne, ignorez ce courriel : sans connexion de votre part, rien ne se passe.',
  },
  en: {
    'mail.signature': 'The Entente team',
    'mail.footer':
      'This automatic message was sent to you by Entente, the shared digital workplace of the public administrations of France and Québec ({url}). Please do not reply to it.',

    'mail.test.subject': 'Entente test message',
    'mail.test.body': 'Hello {name},\n\nThis is a test message: if you can read it, Entente can send mail.',

    'mail.welcome.subject': 'Welcome to Entente, {name}',
    'mail.welcome.body':
      'Hello {name},\n\nYour Entente account is ready: you can now join the spaces shared by the French and Québec administrations.\n\nTo sign in, go to {url} and choose your administration’s sign-in service.',

    'mail.demoOutbox.title': 'Demo outbox',
    'mail.demoOutbox.intro':
      'Demo mode: Entente sends no mail. The mails it would have sent are kept here, each in the data cell (France or Québec) of its recipient.',
    'mail.demoOutbox.caption': '{count, plural, =0 {No mail} one {# mail, newest first} other {# mails, newest first}}',
    'mail.demoOutbox.empty': 'No mail yet.',
    'mail.demoOutbox.column.date': 'Date',
    'mail.demoOutbox.column.cell': 'Cell',
    'mail.demoOutbox.column.to': 'Recipient',
    'mail.demoOutbox.column.subject': 'Subject',
    'mail.demoOutbox.column.body': 'Content',
    'mail.demoOutbox.date': '{date, date, medium} {date, time, medium}',
    'mail.demoOutbox.cell.FR': 'France',
    'mail.demoOutbox.cell.QC': 'Québec',

    // ── workspace: invitation to a space ──
    'mail.spaceInvitation.subject': '{inviter} invites you to the space “{space}”',
    'mail.spaceInvitation.body':
      'Hello,\n\n{inviter} invites you to join the shared space “{space}” on Entente.\n\nTo accept, sign in at {url} with your administration’s sign-in service and this same address: the space will appear in your list. The invitation is valid for {days} days.\n\nIf you do not know this person, ignore this message: nothing happens unless you sign in.',
  },
};
