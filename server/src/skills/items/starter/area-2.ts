import type { AuthoredItem } from '../types.ts';

/**
 * Starter items for DigComp 2.2 area 2, « Communication and collaboration » (competences 2.1–2.6),
 * written for public agents of France and Québec. Levels are intended levels; parameters come from
 * them until calibration. A fact that holds in one state only says which state, or gives both;
 * `frCA` carries Québec usage (courriel, clavardage, téléverser, fin de semaine…) and Québec content.
 */
export const AREA_2_ITEMS = [
  // 2.1 Interacting through digital technologies
  {
    key: '2.1-01',
    competence: '2.1',
    level: 1,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Vous avez une question rapide pour une collègue connectée en ce moment. Quel outil convient le mieux ?',
      options: ['Un courrier papier', 'Une réunion d’une heure', 'La messagerie instantanée', 'Un réseau social public'],
      explanation: 'La messagerie instantanée est faite pour les échanges courts et rapides. Une réunion ou un courrier papier sont trop lourds, et un réseau social public n’est pas un canal de travail.',
    },
    frCA: {
      options: ['Un courrier papier', 'Une réunion d’une heure', 'Le clavardage', 'Un réseau social public'],
      explanation: 'Le clavardage est fait pour les échanges courts et rapides. Une réunion ou un courrier papier sont trop lourds, et un réseau social public n’est pas un canal de travail.',
    },
    en: {
      stem: 'You have a quick question for a colleague who is online right now. Which tool fits best?',
      options: ['A paper letter', 'A one-hour meeting', 'Instant messaging', 'A public social network'],
      explanation: 'Instant messaging is made for short, quick exchanges. A meeting or a paper letter is too heavy, and a public social network is not a work channel.',
    },
  },
  {
    key: '2.1-02',
    competence: '2.1',
    level: 2,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Vous devez transmettre une vidéo de 300 Mo à un collègue d’un autre ministère. Que faites-vous ?',
      options: [
        'Vous la déposez dans un espace partagé et envoyez le lien',
        'Vous la joignez telle quelle à un e-mail',
        'Vous la découpez en morceaux joints à plusieurs e-mails',
        'Vous la copiez sur votre clé USB personnelle',
      ],
      explanation: 'Les messageries refusent les pièces jointes aussi lourdes. Un espace partagé approuvé garde un seul exemplaire et permet de contrôler qui y accède.',
    },
    frCA: {
      options: [
        'Vous la téléversez dans un espace partagé et envoyez le lien',
        'Vous la joignez telle quelle à un courriel',
        'Vous la découpez en morceaux joints à plusieurs courriels',
        'Vous la copiez sur votre clé USB personnelle',
      ],
      explanation: 'Les systèmes de courriel refusent les pièces jointes aussi lourdes. Un espace partagé approuvé garde un seul exemplaire et permet de contrôler qui y accède.',
    },
    en: {
      stem: 'You must send a 300 MB video to a colleague in another ministry. What do you do?',
      options: [
        'You upload it to a shared space and send the link',
        'You attach it to an e-mail as it is',
        'You split it into pieces attached to several e-mails',
        'You copy it onto your personal USB stick',
      ],
      explanation: 'E-mail systems refuse attachments that large. An approved shared space keeps a single copy and lets you control who can reach it.',
    },
  },
  {
    key: '2.1-03',
    competence: '2.1',
    level: 3,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Une visioconférence est fixée à 15 h, heure de Paris, un jour de juin. Quelle heure est-il alors à Québec ?',
      options: ['8 h', '9 h', '10 h', '21 h'],
      explanation: 'En juin, Paris a 6 heures d’avance sur Québec : 15 h à Paris, c’est 9 h à Québec. L’écart n’est que de 5 heures quelques semaines par an, car les changements d’heure n’ont pas lieu aux mêmes dates.',
    },
    en: {
      stem: 'A video meeting is set for 3 p.m. Paris time, on a day in June. What time is it then in Québec City?',
      options: ['8 a.m.', '9 a.m.', '10 a.m.', '9 p.m.'],
      explanation: 'In June, Paris is 6 hours ahead of Québec City: 3 p.m. in Paris is 9 a.m. in Québec. The gap is only 5 hours for a few weeks a year, because the clocks do not change on the same dates.',
    },
  },
  {
    key: '2.1-04',
    competence: '2.1',
    level: 4,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'En visioconférence, vous devez montrer un tableau. Votre messagerie, ouverte à côté, contient des messages confidentiels. Que partagez-vous ?',
      options: [
        'Tout votre écran, pour aller plus vite',
        'Tout votre écran, en demandant de ne pas regarder',
        'Une photo de votre écran prise avec votre téléphone',
        'Uniquement la fenêtre qui contient le tableau',
      ],
      explanation: 'Partager une seule fenêtre montre le tableau et rien d’autre : ni messages confidentiels, ni notifications qui s’affichent pendant la réunion.',
    },
    en: {
      stem: 'In a video meeting, you must show a table. Your mailbox, open beside it, holds confidential messages. What do you share?',
      options: [
        'Your whole screen, to save time',
        'Your whole screen, asking people not to look',
        'A photo of your screen taken with your phone',
        'Only the window that holds the table',
      ],
      explanation: 'Sharing a single window shows the table and nothing else: no confidential messages, and no notifications popping up during the meeting.',
    },
  },
  {
    key: '2.1-05',
    competence: '2.1',
    level: 5,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Votre équipe prend une décision importante dans une discussion de messagerie instantanée. Il faudra la retrouver dans un an. Que faites-vous ?',
      options: [
        'Vous la consignez dans le dossier du projet',
        'Vous comptez sur l’historique de la discussion',
        'Vous ajoutez une réaction au message concerné',
        'Vous la notez dans un carnet personnel',
      ],
      explanation: 'Une messagerie instantanée n’est pas un lieu d’archivage : l’historique se perd ou est purgé. Une décision se consigne là où l’équipe et ses successeurs la retrouveront, dans le dossier du projet.',
    },
    frCA: {
      stem: 'Votre équipe prend une décision importante dans une discussion par clavardage. Il faudra la retrouver dans un an. Que faites-vous ?',
      explanation: 'Un outil de clavardage n’est pas un lieu d’archivage : l’historique se perd ou est purgé. Une décision se consigne là où l’équipe et ses successeurs la retrouveront, dans le dossier du projet.',
    },
    en: {
      stem: 'Your team makes an important decision in an instant-messaging discussion. It will need to be found in a year. What do you do?',
      options: [
        'You record it in the project file',
        'You rely on the discussion history',
        'You add a reaction to the message',
        'You write it in a personal notebook',
      ],
      explanation: 'Instant messaging is not a place for records: history gets lost or purged. A decision is recorded where the team and those who come after will find it, in the project file.',
    },
  },
  {
    key: '2.1-06',
    competence: '2.1',
    level: 6,
    kind: 'multiple',
    correct: [0, 1, 3],
    fr: {
      stem: 'Vous organisez une visioconférence à laquelle participe une personne sourde. Quelles mesures prenez-vous ?',
      options: [
        'Activer les sous-titres ou prévoir une transcription',
        'Envoyer les documents avant la réunion',
        'Demander à chacun de couper sa caméra',
        'Demander de parler chacun son tour',
      ],
      explanation: 'Sous-titres, documents envoyés à l’avance et tours de parole clairs rendent la réunion suivable. Couper les caméras empêche la lecture sur les lèvres et l’interprétation en langue des signes.',
    },
    en: {
      stem: 'You are organising a video meeting that a deaf person will attend. Which measures do you take?',
      options: [
        'Turning on captions or arranging a transcript',
        'Sending the documents before the meeting',
        'Asking everyone to turn off their camera',
        'Asking people to speak one at a time',
      ],
      explanation: 'Captions, documents sent in advance and clear turns to speak make the meeting easy to follow. Turning cameras off prevents lip-reading and sign-language interpreting.',
    },
  },
  {
    key: '2.1-07',
    competence: '2.1',
    level: 7,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Un groupe de travail France–Québec va échanger des documents de travail sensibles pendant deux ans. Quel outil choisissez-vous ?',
      options: [
        'Le service gratuit que la majorité des membres utilise déjà',
        'La messagerie chiffrée du téléphone personnel du responsable',
        'Un outil approuvé par les deux parties, hébergé comme convenu',
        'Un dossier par État, en recopiant les fichiers de l’un à l’autre',
      ],
      explanation: 'Des documents sensibles demandent un outil approuvé par les deux organisations, dont l’hébergement respecte leurs règles sur les données. Deux dossiers recopiés à la main créent des versions divergentes.',
    },
    en: {
      stem: 'A France–Québec working group will exchange sensitive working documents for two years. Which tool do you choose?',
      options: [
        'The free service most members already use',
        'The encrypted messaging app on the lead’s personal phone',
        'A tool both parties approve, hosted as agreed',
        'One folder per state, copying files from one to the other',
      ],
      explanation: 'Sensitive documents need a tool both organisations approve, hosted in line with their data rules. Two folders copied by hand create diverging versions.',
    },
  },

  // 2.2 Sharing through digital technologies
  {
    key: '2.2-01',
    competence: '2.2',
    level: 1,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Vous voulez qu’un collègue puisse lire un document partagé sans pouvoir le modifier. Quel droit lui donnez-vous ?',
      options: ['Modification', 'Lecture seule', 'Propriétaire', 'Administration'],
      explanation: 'Le droit de lecture seule permet de consulter le document sans le changer. Les autres droits permettent de le modifier, voire de gérer ses accès.',
    },
    en: {
      stem: 'You want a colleague to be able to read a shared document without changing it. Which right do you give them?',
      options: ['Edit', 'Read only', 'Owner', 'Administrator'],
      explanation: 'Read-only access lets them consult the document without changing it. The other rights let them edit it, or even manage who can access it.',
    },
  },
  {
    key: '2.2-02',
    competence: '2.2',
    level: 2,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Pourquoi envoyer à vos collègues un lien vers le document partagé plutôt que le fichier en pièce jointe ?',
      options: [
        'Le message part plus vite',
        'Le document devient public',
        'Le fichier ne peut plus être imprimé',
        'Tout le monde voit la même version, à jour',
      ],
      explanation: 'Avec un lien, chacun ouvre le même document, toujours à jour. Chaque pièce jointe crée une copie séparée, qui devient vite périmée.',
    },
    en: {
      stem: 'Why send your colleagues a link to the shared document rather than the file as an attachment?',
      options: [
        'The message goes out faster',
        'The document becomes public',
        'The file can no longer be printed',
        'Everyone sees the same, current version',
      ],
      explanation: 'With a link, everyone opens the same document, always up to date. Each attachment creates a separate copy that soon goes out of date.',
    },
  },
  {
    key: '2.2-03',
    competence: '2.2',
    level: 3,
    kind: 'true_false',
    correct: [0],
    fr: {
      stem: 'Un document partagé avec l’option « Toute personne disposant du lien » peut être ouvert par une personne extérieure à votre organisation.',
      explanation: 'Vrai. Toute personne qui reçoit ce lien peut ouvrir le document, même hors de votre organisation, par exemple si le lien est transféré. Pour un document interne, partagez avec des personnes nommées.',
    },
    en: {
      stem: 'A document shared with the option “Anyone with the link” can be opened by someone outside your organisation.',
      explanation: 'True. Anyone who gets the link can open the document, even outside your organisation, for example if the link is forwarded. For an internal document, share with named people.',
    },
  },
  {
    key: '2.2-04',
    competence: '2.2',
    level: 4,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Vous diffusez une note finale à 200 destinataires. Elle ne doit pas être modifiée et doit se lire sur tout appareil. Quel format choisissez-vous ?',
      options: [
        'Un PDF accessible',
        'Le fichier de traitement de texte',
        'Une capture d’écran de la note',
        'Un lien qui permet de modifier',
      ],
      explanation: 'Un PDF garde la mise en page sur tout appareil et n’est pas fait pour être modifié. Il doit être accessible (titres, texte réel, ordre de lecture), ce qu’une capture d’écran n’est jamais.',
    },
    en: {
      stem: 'You are sending a final memo to 200 recipients. It must not be changed and must be readable on any device. Which format do you choose?',
      options: [
        'An accessible PDF',
        'The word-processing file',
        'A screenshot of the memo',
        'A link that allows editing',
      ],
      explanation: 'A PDF keeps its layout on any device and is not meant to be edited. It must be accessible (headings, real text, reading order), which a screenshot never is.',
    },
  },
  {
    key: '2.2-05',
    competence: '2.2',
    level: 4,
    kind: 'multiple',
    correct: [0, 1, 2],
    fr: {
      stem: 'Avant de partager un document de travail avec un partenaire extérieur, que vérifiez-vous ?',
      options: [
        'Les commentaires internes qu’il contient encore',
        'Les personnes invitées et leurs droits',
        'La présence de données personnelles inutiles',
        'Le nombre de pages du document',
      ],
      explanation: 'Des commentaires internes, des accès trop larges ou des données personnelles inutiles peuvent fuiter avec le document. Le nombre de pages ne pose aucun risque.',
    },
    en: {
      stem: 'Before sharing a working document with an outside partner, what do you check?',
      options: [
        'The internal comments it still contains',
        'The people invited and their rights',
        'Any personal data that is not needed',
        'The number of pages in the document',
      ],
      explanation: 'Internal comments, access that is too broad or unneeded personal data can leak with the document. The number of pages poses no risk.',
    },
  },
  {
    key: '2.2-06',
    competence: '2.2',
    level: 5,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Un prestataire travaille trois mois avec votre service et doit accéder à un dossier partagé. Comment lui donnez-vous accès ?',
      options: [
        'Par un lien public, sans date de fin',
        'En lui prêtant votre identifiant et votre mot de passe',
        'Par un accès nominatif au seul dossier, qui expire à la fin',
        'En l’ajoutant à tout l’espace de l’équipe',
      ],
      explanation: 'Un accès à son nom, limité au dossier utile et qui expire avec la mission, donne juste ce qu’il faut et laisse une trace de qui a fait quoi. Un identifiant ne se prête jamais.',
    },
    frCA: {
      stem: 'Un fournisseur de services travaille trois mois avec votre service et doit accéder à un dossier partagé. Comment lui donnez-vous accès ?',
    },
    en: {
      stem: 'A contractor works with your department for three months and needs a shared folder. How do you give them access?',
      options: [
        'With a public link that never expires',
        'By lending them your username and password',
        'With named access to that folder only, expiring at the end',
        'By adding them to the team’s whole space',
      ],
      explanation: 'Access in their own name, limited to the folder they need and expiring with the contract, gives just what is needed and records who did what. A login is never lent.',
    },
  },
  {
    key: '2.2-07',
    competence: '2.2',
    level: 7,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Une équipe de l’autre État demande à votre service un fichier de données personnelles d’usagers pour une étude commune. Que faites-vous d’abord ?',
      options: [
        'Vous l’envoyez tel quel, dans un e-mail chiffré',
        'Vous vérifiez d’abord le cadre juridique, puis partagez le minimum',
        'Vous le déposez dans un espace ouvert pour simplifier',
        'Vous refusez, car aucun partage n’est jamais permis',
      ],
      explanation: 'Un transfert de données personnelles vers l’autre État doit avoir un cadre (base légale, entente, sécurité) vérifié avec le délégué à la protection des données (DPO, en France) ou le responsable de la protection des renseignements personnels (au Québec). On ne partage que les données nécessaires, pseudonymisées si possible.',
    },
    frCA: {
      stem: 'Une équipe de l’autre État demande à votre organisme un fichier de renseignements personnels d’usagers pour une étude commune. Que faites-vous d’abord ?',
      options: [
        'Vous l’envoyez tel quel, dans un courriel chiffré',
        'Vous vérifiez d’abord le cadre juridique, puis partagez le minimum',
        'Vous le déposez dans un espace ouvert pour simplifier',
        'Vous refusez, car aucun partage n’est jamais permis',
      ],
      explanation: 'Une communication de renseignements personnels hors du Québec doit avoir un cadre (base légale, entente, évaluation des facteurs relatifs à la vie privée) vérifié avec le responsable de la protection des renseignements personnels (au Québec) ou le délégué à la protection des données (DPO, en France). On ne partage que les renseignements nécessaires, pseudonymisés si possible.',
    },
    en: {
      stem: 'A team from the other state asks your department for a file of users’ personal data for a joint study. What do you do first?',
      options: [
        'You send it as it is, in an encrypted e-mail',
        'You check the legal framework first, then share the minimum',
        'You put it in an open space to keep things simple',
        'You refuse, since sharing is never allowed',
      ],
      explanation: 'Transferring personal data to the other state needs a framework (legal basis, agreement, security) checked with the data protection officer (DPO, in France) or the person in charge of the protection of personal information (in Québec). Share only the data needed, pseudonymised where possible.',
    },
  },

  // 2.3 Engaging in citizenship through digital technologies
  {
    key: '2.3-01',
    competence: '2.3',
    level: 1,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Un usager a payé 40 € sur un site privé pour une démarche administrative. Que lui conseillez-vous pour la prochaine fois ?',
      options: [
        'Chercher un site privé moins cher',
        'Payer plutôt par virement bancaire',
        'Demander l’aide d’un forum en ligne',
        'Passer par le site officiel de l’administration',
      ],
      explanation: 'Des sites privés imitent les sites publics et font payer des démarches souvent gratuites. Le site officiel de l’administration (par exemple Service-Public en France, Québec.ca au Québec) indique le vrai coût de la démarche.',
    },
    frCA: {
      stem: 'Un citoyen a payé 40 $ sur un site privé pour une démarche administrative. Que lui conseillez-vous pour la prochaine fois ?',
      explanation: 'Des sites privés imitent les sites publics et font payer des démarches souvent gratuites. Le site officiel de l’administration (par exemple Québec.ca au Québec, Service-Public en France) indique le vrai coût de la démarche.',
    },
    en: {
      stem: 'A member of the public paid €40 on a private website for an administrative procedure. What do you advise for next time?',
      options: [
        'Looking for a cheaper private site',
        'Paying by bank transfer instead',
        'Asking an online forum for help',
        'Using the administration’s official site',
      ],
      explanation: 'Private sites imitate public ones and charge for procedures that are often free. The administration’s official site (for example Service-Public in France, Québec.ca in Québec) gives the procedure’s real cost.',
    },
  },
  {
    key: '2.3-02',
    competence: '2.3',
    level: 2,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Un usager vous dit qu’il n’arrive pas à faire une démarche en ligne. Quelle est la bonne réponse ?',
      options: [
        'L’orienter vers un accompagnement ou un autre canal',
        'Lui dire que la démarche n’existe qu’en ligne',
        'Lui conseiller de donner ses identifiants à un voisin',
        'Faire la démarche à sa place avec son mot de passe',
      ],
      explanation: 'Un service public doit rester accessible à tous : accueil, téléphone ou lieux d’accompagnement (France services en France, bureaux de Services Québec au Québec). Des identifiants ne se confient jamais, même pour aider.',
    },
    frCA: {
      stem: 'Un citoyen vous dit qu’il n’arrive pas à faire une démarche en ligne. Quelle est la bonne réponse ?',
      explanation: 'Un service public doit rester accessible à tous : accueil, téléphone ou lieux d’accompagnement (bureaux de Services Québec au Québec, France services en France). Des identifiants ne se confient jamais, même pour aider.',
    },
    en: {
      stem: 'A member of the public tells you they cannot complete a procedure online. What is the right response?',
      options: [
        'Directing them to assistance or another channel',
        'Telling them the procedure exists only online',
        'Advising them to give their login to a neighbour',
        'Doing it for them with their password',
      ],
      explanation: 'A public service must stay open to everyone: counters, telephone or places offering help (France services in France, Services Québec offices in Québec). Logins are never handed over, even to help.',
    },
  },
  {
    key: '2.3-03',
    competence: '2.3',
    level: 3,
    kind: 'multiple',
    correct: [0, 1],
    fr: {
      stem: 'Lesquels de ces sites sont des portails publics de données ouvertes ?',
      options: ['data.gouv.fr (France)', 'Données Québec (Québec)', 'FranceConnect (France)', 'ProConnect (France)'],
      explanation: 'data.gouv.fr et Données Québec publient des jeux de données ouvertes que chacun peut réutiliser. FranceConnect et ProConnect servent à se connecter à des services en ligne.',
    },
    en: {
      stem: 'Which of these sites are public open-data portals?',
      options: ['data.gouv.fr (France)', 'Données Québec (Québec)', 'FranceConnect (France)', 'ProConnect (France)'],
      explanation: 'data.gouv.fr and Données Québec publish open datasets that anyone may reuse. FranceConnect and ProConnect are used to sign in to online services.',
    },
  },
  {
    key: '2.3-04',
    competence: '2.3',
    level: 4,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'En France, quelle différence y a-t-il entre FranceConnect et ProConnect ?',
      options: [
        'FranceConnect : paiements ; ProConnect : impôts',
        'FranceConnect : particuliers ; ProConnect : professionnels',
        'FranceConnect : payant ; ProConnect : gratuit',
        'FranceConnect : application ; ProConnect : site web',
      ],
      explanation: 'FranceConnect permet aux particuliers de se connecter à de nombreux services publics avec un compte qu’ils ont déjà. ProConnect fait de même pour les professionnels, dont les agents publics, avec leur identité professionnelle.',
    },
    en: {
      stem: 'In France, what is the difference between FranceConnect and ProConnect?',
      options: [
        'FranceConnect: payments; ProConnect: taxes',
        'FranceConnect: individuals; ProConnect: professionals',
        'FranceConnect: paid; ProConnect: free',
        'FranceConnect: app; ProConnect: website',
      ],
      explanation: 'FranceConnect lets individuals sign in to many public services with an account they already have. ProConnect does the same for professionals, public agents among them, with their work identity.',
    },
  },
  {
    key: '2.3-05',
    competence: '2.3',
    level: 4,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Vous réutilisez un jeu de données ouvertes sous Licence Ouverte (France) ou sous licence CC BY 4.0 (Données Québec). Que devez-vous faire ?',
      options: [
        'Payer une redevance au producteur',
        'Obtenir son autorisation écrite',
        'Citer la source des données',
        'Renoncer à tout usage commercial',
      ],
      explanation: 'Ces deux licences permettent la réutilisation libre, y compris commerciale et sans autorisation, à condition de citer la source (la Licence Ouverte demande aussi la date de dernière mise à jour).',
    },
    en: {
      stem: 'You reuse an open dataset under the Licence Ouverte (France) or the CC BY 4.0 licence (Données Québec). What must you do?',
      options: [
        'Pay a fee to the producer',
        'Get their written permission',
        'Credit the source of the data',
        'Give up any commercial use',
      ],
      explanation: 'Both licences allow free reuse, commercial use included and without permission, provided you credit the source (the Licence Ouverte also asks for the date of the last update).',
    },
  },
  {
    key: '2.3-06',
    competence: '2.3',
    level: 5,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Votre service met en ligne un formulaire de démarche. Qu’est-ce qui permet à une personne aveugle de le remplir ?',
      options: [
        'Le respect des règles d’accessibilité numérique',
        'Un design récent et très coloré',
        'Un affichage adapté aux téléphones',
        'Une vérification par CAPTCHA en image',
      ],
      explanation: 'Les règles d’accessibilité (le RGAA en France, le standard d’accessibilité du Web du gouvernement du Québec) rendent le formulaire utilisable avec un lecteur d’écran. Un CAPTCHA en image bloque au contraire les personnes aveugles.',
    },
    en: {
      stem: 'Your department puts a procedure’s form online. What allows a blind person to fill it in?',
      options: [
        'Following digital accessibility rules',
        'A recent, very colourful design',
        'A layout adapted to phones',
        'A check by picture CAPTCHA',
      ],
      explanation: 'Accessibility rules (the RGAA in France, the Québec government’s web accessibility standard) make the form usable with a screen reader. A picture CAPTCHA, on the contrary, blocks blind people.',
    },
  },
  {
    key: '2.3-07',
    competence: '2.3',
    level: 6,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Votre service publie un jeu de données ouvertes. Qu’est-ce qui le rend le plus facile à réutiliser ?',
      options: [
        'Un PDF soigné, avec le logo du service',
        'Un fichier de tableur protégé par mot de passe',
        'Un fichier envoyé par e-mail à qui le demande',
        'Un format ouvert, une licence, des colonnes décrites',
      ],
      explanation: 'Un format ouvert (comme le CSV), une licence claire et une description des colonnes et de la fréquence de mise à jour permettent à chacun de comprendre et de réutiliser les données sans vous demander.',
    },
    frCA: {
      options: [
        'Un PDF soigné, avec le logo du service',
        'Un fichier de tableur protégé par mot de passe',
        'Un fichier envoyé par courriel à qui le demande',
        'Un format ouvert, une licence, des colonnes décrites',
      ],
    },
    en: {
      stem: 'Your department publishes an open dataset. What makes it easiest to reuse?',
      options: [
        'A polished PDF with the department’s logo',
        'A password-protected spreadsheet file',
        'A file e-mailed to whoever asks for it',
        'An open format, a licence, described columns',
      ],
      explanation: 'An open format (such as CSV), a clear licence and a description of the columns and of how often it is updated let anyone understand and reuse the data without asking you.',
    },
  },
  {
    key: '2.3-08',
    competence: '2.3',
    level: 7,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Avant de publier en données ouvertes un extrait d’un fichier d’usagers, dont on a retiré les noms, que devez-vous vérifier ?',
      options: [
        'Que le fichier pèse moins de 10 Mo',
        'Que personne ne peut être réidentifié, même par recoupement',
        'Que les en-têtes de colonnes sont en majuscules',
        'Qu’un partenaire a déjà reçu le fichier',
      ],
      explanation: 'Retirer les noms ne suffit pas : un âge, une commune et une date peuvent suffire à reconnaître une personne en croisant avec d’autres données. Seules des données réellement anonymisées peuvent être ouvertes.',
    },
    frCA: {
      stem: 'Avant de publier en données ouvertes un extrait d’un fichier de citoyens, dont on a retiré les noms, que devez-vous vérifier ?',
      explanation: 'Retirer les noms ne suffit pas : un âge, une municipalité et une date peuvent suffire à reconnaître une personne en croisant avec d’autres données. Seuls des renseignements réellement anonymisés peuvent être ouverts.',
    },
    en: {
      stem: 'Before releasing as open data an extract of a file about service users, with the names removed, what must you check?',
      options: [
        'That the file is smaller than 10 MB',
        'That nobody can be re-identified, even by cross-matching',
        'That the column headers are in capitals',
        'That a partner has already received the file',
      ],
      explanation: 'Removing names is not enough: an age, a town and a date can be enough to recognise someone by cross-matching with other data. Only truly anonymised data can be released.',
    },
  },

  // 2.4 Collaborating through digital technologies
  {
    key: '2.4-01',
    competence: '2.4',
    level: 1,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Quatre collègues doivent rédiger ensemble un rapport. Quelle méthode évite les versions contradictoires ?',
      options: [
        'S’envoyer le fichier par e-mail à tour de rôle',
        'Écrire tous dans un seul document partagé',
        'Écrire chacun sa copie, puis tout fusionner',
        'Imprimer le rapport et l’annoter à la main',
      ],
      explanation: 'Dans un document partagé, tout le monde écrit dans le même texte, en même temps si besoin : il n’existe qu’une version. Les copies qui circulent divergent et doivent être fusionnées à la main.',
    },
    frCA: {
      options: [
        'S’envoyer le fichier par courriel à tour de rôle',
        'Écrire tous dans un seul document partagé',
        'Écrire chacun sa copie, puis tout fusionner',
        'Imprimer le rapport et l’annoter à la main',
      ],
    },
    en: {
      stem: 'Four colleagues must write a report together. Which method avoids conflicting versions?',
      options: [
        'E-mailing the file to each other in turn',
        'All writing in one shared document',
        'Each writing their own copy, then merging',
        'Printing the report and annotating it by hand',
      ],
      explanation: 'In a shared document, everyone writes in the same text, at the same time if needed: there is only one version. Copies passed around diverge and have to be merged by hand.',
    },
  },
  {
    key: '2.4-02',
    competence: '2.4',
    level: 2,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Dans un document partagé, vous voulez proposer une autre formulation pour le paragraphe d’une collègue, sans l’imposer. Que faites-vous ?',
      options: [
        'Vous réécrivez directement le paragraphe',
        'Vous supprimez le paragraphe',
        'Vous ajoutez un commentaire ou une suggestion',
        'Vous créez votre propre copie du document',
      ],
      explanation: 'Un commentaire ou une suggestion montre votre proposition à l’autrice, qui l’accepte ou non. Réécrire ou supprimer impose votre choix, et une copie crée une version parallèle.',
    },
    en: {
      stem: 'In a shared document, you want to suggest different wording for a colleague’s paragraph without imposing it. What do you do?',
      options: [
        'You rewrite the paragraph directly',
        'You delete the paragraph',
        'You add a comment or a suggestion',
        'You make your own copy of the document',
      ],
      explanation: 'A comment or a suggestion shows your proposal to the author, who accepts it or not. Rewriting or deleting imposes your choice, and a copy creates a parallel version.',
    },
  },
  {
    key: '2.4-03',
    competence: '2.4',
    level: 3,
    kind: 'true_false',
    correct: [0],
    fr: {
      stem: 'Dans un document partagé qui garde un historique des versions, on peut retrouver et restaurer une version antérieure du texte.',
      explanation: 'Vrai. L’historique des versions conserve les états successifs du document : on peut voir qui a changé quoi et revenir à une version précédente après une erreur.',
    },
    en: {
      stem: 'In a shared document that keeps a version history, you can find and restore an earlier version of the text.',
      explanation: 'True. The version history keeps the document’s successive states: you can see who changed what and go back to an earlier version after a mistake.',
    },
  },
  {
    key: '2.4-04',
    competence: '2.4',
    level: 3,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Dans un commentaire, vous posez une question à une collègue précise. Comment vous assurer qu’elle la voit ?',
      options: [
        'La mentionner avec @ suivi de son nom',
        'Écrire la question en majuscules',
        'Mettre la question en gras',
        'Ajouter trois points d’exclamation',
      ],
      explanation: 'Une mention (@ suivi du nom) envoie une notification à la personne concernée. La mise en forme n’avertit personne.',
    },
    en: {
      stem: 'In a comment, you ask a specific colleague a question. How do you make sure she sees it?',
      options: [
        'Mention her with @ and her name',
        'Write the question in capitals',
        'Put the question in bold',
        'Add three exclamation marks',
      ],
      explanation: 'A mention (@ followed by the name) sends the person a notification. Formatting alerts nobody.',
    },
  },
  {
    key: '2.4-05',
    competence: '2.4',
    level: 4,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Vous avez fait la correction demandée dans un commentaire du document partagé. Que faites-vous du commentaire ?',
      options: [
        'Vous le laissez ouvert, pour mémoire',
        'Vous le recopiez dans un autre document',
        'Vous le supprimez sans répondre',
        'Vous répondez et le marquez comme résolu',
      ],
      explanation: 'Répondre puis marquer le commentaire comme résolu indique que c’est fait et garde une trace de l’échange. Un commentaire laissé ouvert fait croire qu’il reste du travail.',
    },
    en: {
      stem: 'You have made the correction asked for in a comment on the shared document. What do you do with the comment?',
      options: [
        'You leave it open, as a reminder',
        'You copy it into another document',
        'You delete it without replying',
        'You reply and mark it as resolved',
      ],
      explanation: 'Replying and then marking the comment as resolved shows that it is done and keeps a record of the exchange. A comment left open suggests work remains.',
    },
  },
  {
    key: '2.4-06',
    competence: '2.4',
    level: 5,
    kind: 'multiple',
    correct: [0, 1, 3],
    fr: {
      stem: 'Huit personnes de deux organismes co-rédigent un document partagé. Quelles pratiques les aident ?',
      options: [
        'Un plan avec des titres et une personne par section',
        'Une personne chargée de la version finale',
        'Annuler les changements des autres en cas de désaccord',
        'Signaler les gros changements dans un commentaire',
        'Garder chacun une copie locale pour travailler tranquille',
      ],
      explanation: 'Un plan réparti, une personne responsable de la version finale et des changements signalés gardent le travail clair. Défaire le travail des autres crée des conflits et les copies locales recréent des versions divergentes.',
    },
    en: {
      stem: 'Eight people from two organisations are co-writing a shared document. Which practices help them?',
      options: [
        'An outline with headings and one person per section',
        'One person in charge of the final version',
        'Undoing others’ changes when you disagree',
        'Flagging big changes in a comment',
        'Each keeping a local copy to work in peace',
      ],
      explanation: 'A shared-out outline, one person responsible for the final version and flagged changes keep the work clear. Undoing others’ work creates conflict, and local copies bring back diverging versions.',
    },
  },
  {
    key: '2.4-07',
    competence: '2.4',
    level: 6,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'La direction vient de valider le rapport rédigé dans un document partagé. Comment marquez-vous cet état du texte ?',
      options: [
        'Vous nommez cette version dans l’historique',
        'Vous copiez le document sous le nom « final_def_v3 »',
        'Vous retirez à tous le droit de lire le document',
        'Vous videz l’historique pour repartir de zéro',
      ],
      explanation: 'Nommer la version (par exemple « Validé par la direction, 12 mars ») la rend facile à retrouver et à comparer, sans créer de copie. Vider l’historique effacerait la trace des changements.',
    },
    en: {
      stem: 'Management has just approved the report written in a shared document. How do you mark this state of the text?',
      options: [
        'You name this version in the history',
        'You copy the document as “final_def_v3”',
        'You remove everyone’s right to read it',
        'You clear the history to start from scratch',
      ],
      explanation: 'Naming the version (for example “Approved by management, 12 March”) makes it easy to find and compare, without creating a copy. Clearing the history would erase the record of changes.',
    },
  },
  {
    key: '2.4-08',
    competence: '2.4',
    level: 7,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Vous animez un espace de travail partagé entre plusieurs organismes, qui compte maintenant 60 membres. Quelle mesure le garde sûr et utilisable ?',
      options: [
        'Donner à tous les droits d’administration',
        'Créer un compte commun pour toute l’équipe',
        'Définir des rôles et revoir les accès chaque trimestre',
        'Laisser chacun inviter qui il veut, sans suivi',
      ],
      explanation: 'Des rôles clairs et une revue régulière des accès (retirer les personnes parties, ajuster les droits) gardent l’espace maîtrisé. Un compte commun empêche de savoir qui a fait quoi.',
    },
    en: {
      stem: 'You run a workspace shared by several organisations, which now has 60 members. Which measure keeps it safe and usable?',
      options: [
        'Giving everyone administrator rights',
        'Creating one shared account for the team',
        'Defining roles and reviewing access each quarter',
        'Letting anyone invite anyone, with no follow-up',
      ],
      explanation: 'Clear roles and a regular access review (removing people who left, adjusting rights) keep the space under control. A shared account makes it impossible to know who did what.',
    },
  },

  // 2.5 Netiquette
  {
    key: '2.5-01',
    competence: '2.5',
    level: 1,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Dans un message écrit, comment est généralement perçu un texte ENTIÈREMENT EN MAJUSCULES ?',
      options: ['Comme si l’on criait', 'Comme plus poli', 'Comme plus professionnel', 'Comme plus facile à lire'],
      explanation: 'À l’écrit, les majuscules donnent l’impression que l’on crie. Elles sont aussi plus difficiles à lire, surtout pour les personnes dyslexiques.',
    },
    en: {
      stem: 'In a written message, how is text in ALL CAPITALS usually perceived?',
      options: ['As shouting', 'As more polite', 'As more professional', 'As easier to read'],
      explanation: 'In writing, capitals feel like shouting. They are also harder to read, especially for people with dyslexia.',
    },
  },
  {
    key: '2.5-02',
    competence: '2.5',
    level: 2,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Quel objet d’e-mail aide le plus le destinataire ?',
      options: ['URGENT !!! À lire tout de suite', 'Petite question rapide', 'Comité du 14/03 : ordre du jour à valider', 'Suite à notre échange de la semaine'],
      explanation: 'Un objet précis dit de quoi il s’agit et ce qui est attendu : le message se trie et se retrouve facilement. « URGENT » ou « Petite question » n’apprennent rien sur le contenu.',
    },
    frCA: {
      stem: 'Quel objet de courriel aide le plus le destinataire ?',
    },
    en: {
      stem: 'Which e-mail subject line helps the recipient most?',
      options: ['URGENT!!! Read right away', 'Quick little question', 'Committee of 14 March: agenda to approve', 'Following up on last week’s talk'],
      explanation: 'A precise subject says what it is about and what is expected: the message is easy to sort and find. “URGENT” or “Quick question” say nothing about the content.',
    },
  },
  {
    key: '2.5-03',
    competence: '2.5',
    level: 3,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Une note a été envoyée par e-mail à 80 personnes. Vous voulez simplement remercier l’expéditrice. Que faites-vous ?',
      options: [
        'Vous cliquez sur « Répondre à tous »',
        'Vous répondez à l’expéditrice seule',
        'Vous transférez la note à votre équipe',
        'Vous répondez à tous, votre chef en copie',
      ],
      explanation: 'Un remerciement ne concerne que l’expéditrice. « Répondre à tous » remplirait 80 boîtes de réception pour rien.',
    },
    frCA: {
      stem: 'Une note a été envoyée par courriel à 80 personnes. Vous voulez simplement remercier l’expéditrice. Que faites-vous ?',
      options: [
        'Vous cliquez sur « Répondre à tous »',
        'Vous répondez à l’expéditrice seule',
        'Vous transférez la note à votre équipe',
        'Vous répondez à tous, votre patron en copie',
      ],
    },
    en: {
      stem: 'A memo was e-mailed to 80 people. You simply want to thank the sender. What do you do?',
      options: [
        'You click “Reply all”',
        'You reply to the sender only',
        'You forward the memo to your team',
        'You reply to all, copying your manager',
      ],
      explanation: 'A thank-you concerns only the sender. “Reply all” would fill 80 inboxes for nothing.',
    },
  },
  {
    key: '2.5-04',
    competence: '2.5',
    level: 3,
    kind: 'true_false',
    correct: [1],
    fr: {
      stem: 'Mentionner tout un canal de 200 personnes (par exemple @tous) convient pour une question qui ne concerne qu’une seule personne.',
      explanation: 'Faux. Une mention générale envoie une notification aux 200 personnes et les interrompt. Mentionnez seulement la personne concernée.',
    },
    en: {
      stem: 'Mentioning a whole channel of 200 people (for example @all) is fine for a question that concerns only one person.',
      explanation: 'False. A general mention notifies all 200 people and interrupts them. Mention only the person concerned.',
    },
  },
  {
    key: '2.5-05',
    competence: '2.5',
    level: 4,
    kind: 'short_answer',
    correct: [],
    fr: {
      stem: 'Vous écrivez à 50 usagers qui ne se connaissent pas. Dans quel champ de l’e-mail mettez-vous leurs adresses pour qu’ils ne voient pas celles des autres ? (Son abréviation)',
      accepted: ['Cci', 'copie carbone invisible', 'copie cachée', 'copie conforme invisible'],
      explanation: 'Cci (copie carbone invisible) : chaque destinataire reçoit le message sans voir les autres adresses. Montrer des adresses personnelles à des inconnus divulgue des données personnelles.',
    },
    frCA: {
      stem: 'Vous écrivez à 50 citoyens qui ne se connaissent pas. Dans quel champ du courriel mettez-vous leurs adresses pour qu’ils ne voient pas celles des autres ? (Son abréviation)',
      explanation: 'Cci (copie conforme invisible) : chaque destinataire reçoit le message sans voir les autres adresses. Montrer des adresses personnelles à des inconnus divulgue des renseignements personnels.',
    },
    en: {
      stem: 'You are writing to 50 members of the public who do not know each other. In which e-mail field do you put their addresses so they cannot see each other’s? (Its abbreviation)',
      accepted: ['Bcc', 'blind carbon copy', 'blind copy'],
      explanation: 'Bcc (blind carbon copy): each recipient gets the message without seeing the other addresses. Showing personal addresses to strangers discloses personal data.',
    },
  },
  {
    key: '2.5-06',
    competence: '2.5',
    level: 5,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Un samedi, vous avancez un dossier et voulez demander un document à une collègue. Quelle est la meilleure pratique ?',
      options: [
        'Envoyer la demande tout de suite, marquée « urgent »',
        'L’appeler pour lui demander le document',
        'Envoyer la demande et un SMS pour la prévenir',
        'Programmer l’envoi pour lundi matin',
      ],
      explanation: 'L’envoi programmé respecte le temps de repos de votre collègue (en France, le droit à la déconnexion) sans que vous oubliiez la demande. Une demande qui peut attendre n’est pas urgente.',
    },
    frCA: {
      stem: 'Pendant la fin de semaine, vous avancez un dossier et voulez demander un document à une collègue. Quelle est la meilleure pratique ?',
      options: [
        'Envoyer la demande tout de suite, marquée « urgent »',
        'L’appeler pour lui demander le document',
        'Envoyer la demande et un texto pour la prévenir',
        'Programmer l’envoi pour lundi matin',
      ],
      explanation: 'L’envoi programmé respecte le temps de repos de votre collègue sans que vous oubliiez la demande. Une demande qui peut attendre n’est pas urgente.',
    },
    en: {
      stem: 'On a Saturday, you are moving a file forward and want to ask a colleague for a document. What is the best practice?',
      options: [
        'Sending the request now, marked “urgent”',
        'Calling her to ask for the document',
        'Sending the request and a text to warn her',
        'Scheduling it to be sent on Monday morning',
      ],
      explanation: 'Scheduled sending respects your colleague’s rest time (in France, the right to disconnect) without you forgetting the request. A request that can wait is not urgent.',
    },
  },
  {
    key: '2.5-07',
    competence: '2.5',
    level: 5,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Dans le canal de discussion de l’équipe, un échange entre deux collègues devient tendu. Que faites-vous ?',
      options: [
        'Proposer de continuer de vive voix, en appel ou en rencontre',
        'Répondre point par point, vite, devant tout le canal',
        'Mettre votre responsable en copie de chaque message',
        'Quitter le canal sans rien dire',
      ],
      explanation: 'À l’écrit, le ton se comprend mal et les tensions montent vite devant tout le monde. Un échange de vive voix aide à se comprendre, puis on peut résumer la décision dans le canal.',
    },
    en: {
      stem: 'In the team’s discussion channel, an exchange between two colleagues is getting tense. What do you do?',
      options: [
        'Suggest continuing by voice, in a call or a meeting',
        'Answer point by point, fast, in front of the channel',
        'Copy your manager on every message',
        'Leave the channel without a word',
      ],
      explanation: 'In writing, tone is easily misread and tension rises fast in front of everyone. Talking it through helps people understand each other; the decision can then be summed up in the channel.',
    },
  },
  {
    key: '2.5-08',
    competence: '2.5',
    level: 7,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Votre équipe, répartie entre Paris et Québec, reçoit trop de messages, à toute heure. Quelle mesure est la plus efficace ?',
      options: [
        'Exiger une réponse à tout message en moins d’une heure',
        'Passer tous les échanges par e-mail avec accusé de réception',
        'Convenir ensemble de règles : canaux, délais, plages horaires',
        'Couper toutes les notifications de l’équipe',
      ],
      explanation: 'Une charte décidée ensemble (quel canal pour quoi, quels délais de réponse, quelles plages horaires compte tenu du décalage de 6 heures) réduit le bruit et respecte le temps de chacun. Tout couper ferait manquer l’essentiel.',
    },
    frCA: {
      options: [
        'Exiger une réponse à tout message en moins d’une heure',
        'Passer tous les échanges par courriel avec accusé de réception',
        'Convenir ensemble de règles : canaux, délais, plages horaires',
        'Couper toutes les notifications de l’équipe',
      ],
    },
    en: {
      stem: 'Your team, split between Paris and Québec City, gets too many messages, at all hours. Which measure works best?',
      options: [
        'Requiring an answer to any message within an hour',
        'Moving all exchanges to e-mail with read receipts',
        'Agreeing together on rules: channels, response times, hours',
        'Turning off all the team’s notifications',
      ],
      explanation: 'A charter agreed together (which channel for what, which response times, which hours given the 6-hour time difference) cuts the noise and respects everyone’s time. Turning everything off would miss what matters.',
    },
  },

  // 2.6 Managing digital identity
  {
    key: '2.6-01',
    competence: '2.6',
    level: 1,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Quelle information a sa place dans votre profil professionnel, dans l’annuaire de votre organisation ?',
      options: [
        'Votre fonction et votre service',
        'Votre adresse personnelle',
        'Votre numéro de sécurité sociale',
        'Vos opinions politiques',
      ],
      explanation: 'Un profil professionnel dit qui vous êtes au travail : fonction, service, coordonnées professionnelles. Le reste relève de votre vie privée et n’a pas à y figurer.',
    },
    frCA: {
      options: [
        'Votre fonction et votre service',
        'Votre adresse personnelle',
        'Votre numéro d’assurance sociale',
        'Vos opinions politiques',
      ],
    },
    en: {
      stem: 'Which information belongs in your professional profile, in your organisation’s directory?',
      options: [
        'Your job title and department',
        'Your home address',
        'Your social security number',
        'Your political opinions',
      ],
      explanation: 'A professional profile says who you are at work: job title, department, work contact details. The rest belongs to your private life and has no place there.',
    },
  },
  {
    key: '2.6-02',
    competence: '2.6',
    level: 2,
    kind: 'true_false',
    correct: [0],
    fr: {
      stem: 'Un message publié sur un réseau social public peut rester visible longtemps, même après que vous l’avez supprimé.',
      explanation: 'Vrai. D’autres ont pu le copier, le partager ou en faire une capture d’écran, et des sites d’archives gardent des pages. Réfléchissez avant de publier.',
    },
    en: {
      stem: 'A post on a public social network can stay visible for a long time, even after you have deleted it.',
      explanation: 'True. Others may have copied it, shared it or taken a screenshot, and archive sites keep pages. Think before you post.',
    },
  },
  {
    key: '2.6-03',
    competence: '2.6',
    level: 2,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Votre responsable vous demande de vous inscrire à un webinaire sur la commande publique. Quelle adresse e-mail utilisez-vous ?',
      options: [
        'Votre adresse personnelle',
        'Votre adresse professionnelle',
        'L’adresse d’un collègue inscrit',
        'Une adresse créée pour l’occasion',
      ],
      explanation: 'Une activité professionnelle se fait avec votre identité professionnelle. Séparer vos comptes personnels et professionnels protège votre vie privée et garde les échanges de travail dans les outils de votre organisation.',
    },
    frCA: {
      stem: 'Votre gestionnaire vous demande de vous inscrire à un webinaire sur les marchés publics. Quelle adresse de courriel utilisez-vous ?',
    },
    en: {
      stem: 'Your manager asks you to register for a webinar on public procurement. Which e-mail address do you use?',
      options: [
        'Your personal address',
        'Your work address',
        'The address of a registered colleague',
        'An address created for the occasion',
      ],
      explanation: 'Professional activity is done under your professional identity. Keeping personal and work accounts apart protects your privacy and keeps work exchanges in your organisation’s tools.',
    },
  },
  {
    key: '2.6-04',
    competence: '2.6',
    level: 4,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Sur son compte personnel public, un agent critique violemment la politique de son ministère. Quelle obligation des agents publics peut-il enfreindre ?',
      options: ['Le droit d’auteur', 'La neutralité du Net', 'Le devoir de réserve', 'Le secret des correspondances'],
      explanation: 'En France (obligation de réserve) comme au Québec (devoir de réserve des fonctionnaires), un agent public doit rester mesuré quand il exprime publiquement ses opinions, y compris sur un compte personnel.',
    },
    frCA: {
      stem: 'Sur son compte personnel public, un fonctionnaire critique violemment la politique de son ministère. Quelle obligation des fonctionnaires peut-il enfreindre ?',
      explanation: 'Au Québec (devoir de réserve des fonctionnaires) comme en France (obligation de réserve), un employé de l’État doit rester mesuré quand il exprime publiquement ses opinions, y compris sur un compte personnel.',
    },
    en: {
      stem: 'On his public personal account, a public servant harshly criticises his ministry’s policy. Which duty of public servants may he breach?',
      options: ['Copyright', 'Net neutrality', 'The duty of restraint', 'The secrecy of correspondence'],
      explanation: 'In France (obligation de réserve) as in Québec (devoir de réserve), a public servant must stay measured when expressing opinions in public, personal accounts included.',
    },
  },
  {
    key: '2.6-05',
    competence: '2.6',
    level: 5,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Vous voulez savoir ce qu’un futur partenaire trouvera sur vous en ligne. Que faites-vous ?',
      options: [
        'Vous relisez votre profil dans l’annuaire interne',
        'Vous demandez au service informatique',
        'Vous consultez l’historique de votre navigateur',
        'Vous cherchez votre nom, en navigation privée',
      ],
      explanation: 'Chercher votre nom dans un ou plusieurs moteurs, en navigation privée (sans votre compte ni votre historique), montre à peu près ce que voit une autre personne.',
    },
    en: {
      stem: 'You want to know what a future partner will find about you online. What do you do?',
      options: [
        'You reread your profile in the internal directory',
        'You ask the IT department',
        'You look at your browser history',
        'You search for your name in a private window',
      ],
      explanation: 'Searching for your name in one or more engines, in a private window (without your account or history), shows roughly what someone else sees.',
    },
  },
  {
    key: '2.6-06',
    competence: '2.6',
    level: 6,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Un moteur de recherche affiche, avec votre nom, un vieil article qui contient des informations personnelles dépassées. Quel droit pouvez-vous exercer ?',
      options: [
        'Le droit au déréférencement',
        'Le droit à la portabilité',
        'Le droit d’accès aux documents administratifs',
        'Le droit à la déconnexion',
      ],
      explanation: 'Le RGPD (en France) donne un droit au déréférencement et la Loi 25 (au Québec) un droit à la désindexation : le moteur peut retirer le lien des résultats associés à votre nom. L’autorité de contrôle est la CNIL en France et la Commission d’accès à l’information au Québec.',
    },
    frCA: {
      options: [
        'Le droit à la désindexation',
        'Le droit à la portabilité',
        'Le droit d’accès aux documents des organismes publics',
        'Le droit à la déconnexion',
      ],
      explanation: 'La Loi 25 (au Québec) donne un droit à la désindexation et le RGPD (en France) un droit au déréférencement : le moteur peut retirer le lien des résultats associés à votre nom. L’autorité de contrôle est la Commission d’accès à l’information au Québec et la CNIL en France.',
    },
    en: {
      stem: 'A search engine shows, next to your name, an old article with outdated personal information. Which right can you exercise?',
      options: [
        'The right to be delisted',
        'The right to data portability',
        'The right of access to public records',
        'The right to disconnect',
      ],
      explanation: 'The GDPR (in France) gives a right to be delisted, and Law 25 (in Québec) a right to de-indexing: the engine may remove the link from results for your name. The regulator is the CNIL in France and the Commission d’accès à l’information in Québec.',
    },
  },
  {
    key: '2.6-07',
    competence: '2.6',
    level: 6,
    kind: 'true_false',
    correct: [1],
    fr: {
      stem: 'Écrire « mes propos n’engagent que moi » sur son profil public libère un agent public de son devoir de réserve.',
      explanation: 'Faux. Cette mention ne change rien aux obligations de l’agent : ce qu’il publie reste soumis au devoir de réserve, en France comme au Québec.',
    },
    frCA: {
      stem: 'Écrire « mes propos n’engagent que moi » sur son profil public libère un fonctionnaire de son devoir de réserve.',
      explanation: 'Faux. Cette mention ne change rien aux obligations du fonctionnaire : ce qu’il publie reste soumis au devoir de réserve, au Québec comme en France.',
    },
    en: {
      stem: 'Writing “my views are my own” on a public profile frees a public servant from the duty of restraint.',
      explanation: 'False. This statement changes nothing in the public servant’s obligations: what they post is still subject to the duty of restraint, in France as in Québec.',
    },
  },
  {
    key: '2.6-08',
    competence: '2.6',
    level: 7,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Vous gérez le compte officiel de votre organisme. Un message publié contient une erreur et a déjà été partagé 500 fois. Que faites-vous ?',
      options: [
        'Supprimer le message sans rien dire',
        'Publier une correction visible qui reconnaît l’erreur',
        'Bloquer les comptes qui ont relevé l’erreur',
        'Attendre que le sujet soit oublié',
      ],
      explanation: 'Une correction visible limite la diffusion de l’erreur et protège la confiance dans l’organisme. Une suppression discrète passe pour une dissimulation, car des copies circulent déjà.',
    },
    en: {
      stem: 'You manage your organisation’s official account. A post contains a mistake and has already been shared 500 times. What do you do?',
      options: [
        'Delete the post without a word',
        'Post a visible correction that owns the mistake',
        'Block the accounts that pointed out the mistake',
        'Wait for the topic to be forgotten',
      ],
      explanation: 'A visible correction limits the spread of the mistake and protects trust in the organisation. A quiet deletion looks like a cover-up, since copies are already going around.',
    },
  },
] satisfies AuthoredItem[];
