import type { AuthoredItem } from '../types.ts';

/**
 * Starter items for DigComp area 4, « Safety » (4.1–4.4), written for public agents of France and
 * Québec. Facts that belong to one state name it, or give both (RGPD / Loi 25, CNIL / Commission
 * d'accès à l'information, ANSSI / Centre gouvernemental de cyberdéfense).
 */
export const AREA_4_ITEMS = [
  // 4.1 Protecting devices (and accounts)
  {
    key: '4.1-01',
    competence: '4.1',
    level: 1,
    kind: 'true_false',
    correct: [0],
    fr: {
      stem: 'Vous devez verrouiller votre ordinateur chaque fois que vous quittez votre poste, même pour quelques minutes.',
      explanation:
        'Vrai. Une session ouverte laisse n’importe qui lire vos dossiers ou agir en votre nom. Le raccourci Windows + L verrouille l’écran en une seconde.',
    },
    en: {
      stem: 'You should lock your computer every time you leave your desk, even for a few minutes.',
      explanation:
        'True. An open session lets anyone read your files or act in your name. The Windows + L shortcut locks the screen in a second.',
    },
  },
  {
    key: '4.1-02',
    competence: '4.1',
    level: 2,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Un message vous annonce que votre messagerie sera fermée dans 24 h si vous ne cliquez pas sur un lien pour saisir votre mot de passe. Que faites-vous ?',
      options: [
        'Vous cliquez vite pour garder l’accès',
        'Vous répondez pour demander des précisions',
        'Vous ne cliquez pas et le signalez selon la procédure',
        'Vous le transférez à vos collègues pour les prévenir',
      ],
      explanation:
        'L’urgence et la demande de mot de passe sont les signes classiques de l’hameçonnage. Signalez-le par le bouton ou l’adresse prévus par votre organisation ; le transférer risque de faire cliquer d’autres personnes.',
    },
    frCA: {
      stem: 'Un courriel vous annonce que votre boîte de courriel sera fermée dans 24 h si vous ne cliquez pas sur un lien pour saisir votre mot de passe. Que faites-vous ?',
    },
    en: {
      stem: 'A message says your mailbox will be closed in 24 hours unless you click a link and enter your password. What do you do?',
      options: [
        'You click quickly to keep your access',
        'You reply to ask for more details',
        'You do not click and report it as required',
        'You forward it to colleagues to warn them',
      ],
      explanation:
        'Urgency and a request for your password are the classic signs of phishing. Report it with the button or address your organisation provides; forwarding it may lead others to click.',
    },
  },
  {
    key: '4.1-03',
    competence: '4.1',
    level: 3,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Quel mot de passe est le plus solide pour votre compte professionnel ?',
      options: [
        'Votre nom suivi de l’année en cours',
        'Un mot court avec un chiffre, comme Ete2026!',
        'Le même que celui de votre messagerie personnelle',
        'Une longue phrase de mots sans lien entre eux',
      ],
      explanation:
        'La longueur rend un mot de passe difficile à deviner, et des mots sans lien ne se devinent pas à partir de votre vie. Un mot de passe réutilisé tombe avec le premier site piraté.',
    },
    en: {
      stem: 'Which password is the strongest for your work account?',
      options: [
        'Your name followed by the current year',
        'A short word with a digit, like Summer2026!',
        'The same one as for your personal mailbox',
        'A long phrase of several unrelated words',
      ],
      explanation:
        'Length makes a password hard to guess, and unrelated words cannot be guessed from your life. A reused password falls with the first site that is hacked.',
    },
  },
  {
    key: '4.1-04',
    competence: '4.1',
    level: 4,
    kind: 'multiple',
    correct: [0, 1],
    fr: {
      stem: 'Vous travaillez dans une gare avec le Wi-Fi public. Quelles précautions prenez-vous ?',
      options: [
        'Vous connecter par le VPN de votre organisation',
        'Vérifier que personne ne peut lire votre écran',
        'Désactiver le pare-feu pour vous connecter plus vite',
        'Accepter tout réseau dont le nom a l’air officiel',
      ],
      explanation:
        'Le VPN chiffre vos échanges sur un réseau que vous ne maîtrisez pas, et un écran visible expose des informations. Un faux réseau peut porter un nom officiel, et le pare-feu doit rester actif.',
    },
    en: {
      stem: 'You work in a train station on public Wi-Fi. Which precautions do you take?',
      options: [
        'Connect through your organisation’s VPN',
        'Check that nobody can read your screen',
        'Turn off the firewall to connect faster',
        'Accept any network whose name looks official',
      ],
      explanation:
        'The VPN encrypts your traffic on a network you do not control, and a visible screen exposes information. A fake network can use an official-looking name, and the firewall must stay on.',
    },
  },
  {
    key: '4.1-05',
    competence: '4.1',
    level: 5,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Quel second facteur d’authentification résiste le mieux à l’hameçonnage ?',
      options: [
        'Un code reçu par SMS',
        'Une clé de sécurité physique (FIDO2)',
        'Un code reçu par message électronique',
        'Une question secrète sur votre vie',
      ],
      explanation:
        'Une clé FIDO2 (ou une clé d’accès) vérifie l’adresse du site : elle ne répond pas à un faux site. Un code SMS ou par message peut être saisi sur un faux site, et une question secrète se devine.',
    },
    frCA: {
      options: [
        'Un code reçu par texto',
        'Une clé de sécurité physique (FIDO2)',
        'Un code reçu par courriel',
        'Une question secrète sur votre vie',
      ],
      explanation:
        'Une clé FIDO2 (ou une clé d’accès) vérifie l’adresse du site : elle ne répond pas à un faux site. Un code par texto ou par courriel peut être saisi sur un faux site, et une question secrète se devine.',
    },
    en: {
      stem: 'Which second authentication factor best resists phishing?',
      options: [
        'A code received by text message',
        'A physical security key (FIDO2)',
        'A code received by email',
        'A secret question about your life',
      ],
      explanation:
        'A FIDO2 key (or a passkey) checks the site’s address, so it does not answer a fake site. A code by text or email can be typed into a fake site, and a secret question can be guessed.',
    },
  },
  {
    key: '4.1-06',
    competence: '4.1',
    level: 6,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Votre application d’authentification vous demande plusieurs fois d’approuver une connexion alors que vous ne vous connectez pas. Que faites-vous ?',
      options: [
        'Refuser, changer votre mot de passe et signaler',
        'Approuver une fois pour que les demandes cessent',
        'Ignorer les demandes jusqu’à ce qu’elles cessent',
        'Désinstaller l’application d’authentification',
      ],
      explanation:
        'Ces demandes montrent que quelqu’un connaît sans doute votre mot de passe et espère une approbation par lassitude. Refusez, changez le mot de passe et prévenez la sécurité informatique.',
    },
    en: {
      stem: 'Your authentication app asks you several times to approve a sign-in while you are not signing in. What do you do?',
      options: [
        'Refuse, change your password and report it',
        'Approve once so that the requests stop',
        'Ignore the requests until they stop',
        'Uninstall the authentication app',
      ],
      explanation:
        'These requests show that someone probably knows your password and hopes you approve out of fatigue. Refuse, change the password and tell IT security.',
    },
  },
  {
    key: '4.1-07',
    competence: '4.1',
    level: 7,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Votre écran affiche que vos fichiers sont chiffrés et qu’une rançon est exigée. Quel est le bon premier geste ?',
      options: [
        'Éteindre tout de suite l’ordinateur, puis alerter',
        'Payer la rançon pour retrouver les fichiers',
        'Débrancher le réseau sans éteindre, puis alerter',
        'Restaurer vous-même une sauvegarde sur ce poste',
      ],
      explanation:
        'Isoler le poste du réseau (câble, Wi-Fi) limite la propagation ; le laisser allumé garde des traces utiles à l’enquête. Alertez ensuite votre équipe de sécurité, qui peut faire appel à l’ANSSI en France.',
    },
    frCA: {
      explanation:
        'Isoler le poste du réseau (câble, Wi-Fi) limite la propagation ; le laisser allumé garde des traces utiles à l’enquête. Alertez ensuite votre équipe de sécurité, qui peut faire appel au Centre gouvernemental de cyberdéfense.',
    },
    en: {
      stem: 'Your screen says your files are encrypted and a ransom is demanded. What is the right first step?',
      options: [
        'Turn the computer off at once, then alert',
        'Pay the ransom to get the files back',
        'Cut the network without shutting down, then alert',
        'Restore a backup yourself on this computer',
      ],
      explanation:
        'Cutting the computer off the network (cable, Wi-Fi) limits the spread; leaving it on keeps traces the investigation needs. Then alert your security team, which can call on ANSSI in France or the Centre gouvernemental de cyberdéfense in Québec.',
    },
  },

  // 4.2 Protecting personal data and privacy
  {
    key: '4.2-01',
    competence: '4.2',
    level: 1,
    kind: 'true_false',
    correct: [0],
    fr: {
      stem: 'L’adresse électronique professionnelle d’un agent (prenom.nom@…) est une donnée personnelle.',
      explanation:
        'Vrai. Elle permet d’identifier une personne, même si elle sert au travail. Le RGPD (France) comme la Loi 25 (Québec) la protègent.',
    },
    frCA: {
      stem: 'L’adresse de courriel professionnelle d’un employé (prenom.nom@…) est un renseignement personnel.',
      explanation:
        'Vrai. Elle permet d’identifier une personne, même si elle sert au travail. La Loi 25 (Québec) comme le RGPD (France) la protègent.',
    },
    en: {
      stem: 'An agent’s work email address (firstname.lastname@…) is personal data.',
      explanation:
        'True. It identifies a person, even though it is used for work. Both the GDPR (France) and Law 25 (Québec) protect it.',
    },
  },
  {
    key: '4.2-02',
    competence: '4.2',
    level: 2,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Vous créez un formulaire d’inscription à un atelier. Quelles données demandez-vous ?',
      options: [
        'Le plus de données possible, au cas où',
        'Seulement celles nécessaires pour organiser l’atelier',
        'Les mêmes que le formulaire d’un autre service',
        'Celles que les participants veulent bien donner',
      ],
      explanation:
        'C’est le principe de minimisation : ne collecter que ce qui sert au but annoncé. Le RGPD et la Loi 25 l’exigent tous deux.',
    },
    frCA: {
      stem: 'Vous créez un formulaire d’inscription à un atelier. Quels renseignements demandez-vous ?',
      options: [
        'Le plus de renseignements possible, au cas où',
        'Seulement ceux nécessaires pour organiser l’atelier',
        'Les mêmes que le formulaire d’une autre direction',
        'Ceux que les participants veulent bien donner',
      ],
    },
    en: {
      stem: 'You create a registration form for a workshop. What data do you ask for?',
      options: [
        'As much data as possible, just in case',
        'Only what is needed to run the workshop',
        'The same as another team’s form',
        'Whatever participants are willing to give',
      ],
      explanation:
        'This is data minimisation: collect only what serves the stated purpose. Both the GDPR and Law 25 require it.',
    },
  },
  {
    key: '4.2-03',
    competence: '4.2',
    level: 3,
    kind: 'multiple',
    correct: [0, 1, 3],
    fr: {
      stem: 'Lesquelles de ces informations sont des données personnelles ?',
      options: [
        'Le matricule d’un agent',
        'Le numéro d’immatriculation d’une voiture',
        'Le budget annuel d’un ministère',
        'L’enregistrement de la voix d’un appelant',
      ],
      explanation:
        'Une donnée est personnelle si elle permet d’identifier une personne, directement ou non : un matricule, une plaque ou une voix le permettent. Un budget global ne concerne personne en particulier.',
    },
    frCA: {
      stem: 'Lesquelles de ces informations sont des renseignements personnels ?',
      options: [
        'Le matricule d’un employé',
        'Le numéro de plaque d’une voiture',
        'Le budget annuel d’un ministère',
        'L’enregistrement de la voix d’un appelant',
      ],
      explanation:
        'Un renseignement est personnel s’il permet d’identifier une personne, directement ou non : un matricule, une plaque ou une voix le permettent. Un budget global ne concerne personne en particulier.',
    },
    en: {
      stem: 'Which of these are personal data?',
      options: [
        'An agent’s employee number',
        'A car’s licence plate number',
        'A ministry’s annual budget',
        'A voice recording of a caller',
      ],
      explanation:
        'Data is personal if it identifies a person, directly or not: an employee number, a plate or a voice can. An overall budget concerns no one in particular.',
    },
  },
  {
    key: '4.2-04',
    competence: '4.2',
    level: 3,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Un collègue vous demande d’envoyer sur sa messagerie personnelle un fichier d’usagers avec leur numéro de sécurité sociale, pour travailler chez lui. Que faites-vous ?',
      options: [
        'Vous l’envoyez, car c’est un collègue',
        'Vous l’envoyez en le compressant d’abord',
        'Vous refusez et proposez l’outil sécurisé prévu',
        'Vous l’envoyez en retirant seulement les noms',
      ],
      explanation:
        'Une messagerie personnelle échappe aux protections de l’organisation, et ces données sont sensibles. Il faut passer par l’accès à distance ou l’outil de partage approuvé.',
    },
    frCA: {
      stem: 'Un collègue vous demande d’envoyer à son courriel personnel un fichier de citoyens avec leur numéro d’assurance sociale, pour travailler chez lui. Que faites-vous ?',
      explanation:
        'Un courriel personnel échappe aux protections de l’organisation, et ces renseignements sont sensibles. Il faut passer par l’accès à distance ou l’outil de partage approuvé.',
    },
    en: {
      stem: 'A colleague asks you to send a file of service users with their social security or social insurance numbers to his personal email, to work from home. What do you do?',
      options: [
        'You send it, since he is a colleague',
        'You send it after compressing it',
        'You refuse and offer the approved secure tool',
        'You send it with only the names removed',
      ],
      explanation:
        'A personal mailbox is outside the organisation’s protections, and this data is sensitive. Use remote access or the approved sharing tool.',
    },
  },
  {
    key: '4.2-05',
    competence: '4.2',
    level: 4,
    kind: 'short_answer',
    correct: [],
    fr: {
      stem: 'En France, selon le RGPD, dans quel délai maximal (en heures) faut-il en principe notifier à la CNIL une violation de données présentant un risque ?',
      accepted: ['72', '72 h', '72h', '72 heures', 'soixante-douze heures', 'soixante-douze'],
      explanation:
        'Le RGPD demande de notifier la CNIL dans les 72 heures après en avoir pris connaissance, si possible. Les personnes concernées sont aussi informées si le risque est élevé.',
    },
    frCA: {
      stem: 'En France, selon le RGPD, dans quel délai maximal (en heures) faut-il en principe aviser la CNIL d’une violation de données présentant un risque ? (Au Québec, la Loi 25 demande d’aviser la CAI avec diligence.)',
    },
    en: {
      stem: 'In France, under the GDPR, within how many hours at most must a personal data breach that presents a risk be notified to the CNIL, as a rule? (In Québec, Law 25 requires notifying the CAI promptly.)',
      accepted: ['72', '72 h', '72h', '72 hours', 'seventy-two hours', 'seventy-two'],
      explanation:
        'The GDPR requires notifying the CNIL within 72 hours of becoming aware of the breach, where feasible. The people concerned are also told if the risk is high.',
    },
  },
  {
    key: '4.2-06',
    competence: '4.2',
    level: 5,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Au Québec, un organisme public subit un incident de confidentialité. Quand doit-il aviser la Commission d’accès à l’information (CAI) ?',
      options: [
        'Quand l’incident présente un risque de préjudice sérieux',
        'Pour chaque incident, même sans conséquence',
        'Seulement si plus de 500 personnes sont touchées',
        'Jamais : l’inscrire au registre des incidents suffit',
      ],
      explanation:
        'La Loi 25 impose d’inscrire tout incident au registre des incidents. S’il y a un risque de préjudice sérieux, il faut aussi aviser avec diligence la CAI et les personnes concernées.',
    },
    en: {
      stem: 'In Québec, a public body has a confidentiality incident. When must it notify the Commission d’accès à l’information (CAI)?',
      options: [
        'When the incident presents a risk of serious injury',
        'For every incident, even without consequences',
        'Only if more than 500 people are affected',
        'Never: recording it in the incident register is enough',
      ],
      explanation:
        'Law 25 requires recording every incident in the incident register. If there is a risk of serious injury, the CAI and the people concerned must also be notified promptly.',
    },
  },
  {
    key: '4.2-07',
    competence: '4.2',
    level: 6,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Votre service prépare un nouveau système qui traitera des données de santé à grande échelle. Que faut-il faire avant sa mise en service ?',
      options: [
        'Une simple déclaration à la CNIL après le lancement',
        'Un test de charge et de performance du système',
        'Un sondage de satisfaction auprès des futurs usagers',
        'Une analyse d’impact relative à la protection des données',
      ],
      explanation:
        'Un traitement à risque élevé exige une analyse d’impact avant son lancement : l’AIPD en France (RGPD), l’évaluation des facteurs relatifs à la vie privée (EFVP) au Québec (Loi 25).',
    },
    frCA: {
      stem: 'Votre organisation prépare un nouveau système qui traitera des renseignements de santé à grande échelle. Que faut-il faire avant sa mise en service ?',
      options: [
        'Un simple avis à la CAI après le lancement',
        'Un test de charge et de performance du système',
        'Un sondage de satisfaction auprès de la population',
        'Une évaluation des facteurs relatifs à la vie privée',
      ],
      explanation:
        'Au Québec, la Loi 25 exige une évaluation des facteurs relatifs à la vie privée (EFVP) pour un tel projet, avant son lancement. En France, le RGPD exige l’équivalent : l’analyse d’impact (AIPD).',
    },
    en: {
      stem: 'Your department is preparing a new system that will process health data on a large scale. What must be done before it goes live?',
      options: [
        'A simple notice to the regulator after launch',
        'A load and performance test of the system',
        'A satisfaction survey of future users',
        'A privacy or data protection impact assessment',
      ],
      explanation:
        'High-risk processing needs an impact assessment before launch: a DPIA (AIPD) in France under the GDPR, a privacy impact assessment (EFVP) in Québec under Law 25.',
    },
  },
  {
    key: '4.2-08',
    competence: '4.2',
    level: 7,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Votre équipe veut stocker des dossiers d’usagers dans un service en nuage hébergé hors de l’Union européenne. Que faut-il d’abord évaluer ?',
      options: [
        'Le prix de l’abonnement par utilisateur',
        'Si la protection des données y sera adéquate',
        'Le nombre de fonctionnalités de l’outil',
        'La langue de l’interface de l’outil',
      ],
      explanation:
        'Un transfert hors de l’UE n’est permis que si la protection reste adéquate (décision d’adéquation ou garanties comme les clauses types, RGPD). Au Québec, la Loi 25 exige une EFVP avant toute communication hors du Québec.',
    },
    frCA: {
      stem: 'Votre équipe veut stocker des dossiers de citoyens dans un service infonuagique hébergé hors du Québec. Que faut-il d’abord évaluer ?',
      options: [
        'Le prix de l’abonnement par utilisateur',
        'Si la protection des renseignements y sera adéquate',
        'Le nombre de fonctionnalités de l’outil',
        'La langue de l’interface de l’outil',
      ],
      explanation:
        'Au Québec, la Loi 25 exige une EFVP avant de communiquer des renseignements hors du Québec : ils doivent y bénéficier d’une protection adéquate. En France, le RGPD pose une règle semblable pour les transferts hors de l’UE.',
    },
    en: {
      stem: 'Your team wants to store service users’ files in a cloud service hosted outside the European Union (France) or outside Québec. What must be assessed first?',
      options: [
        'The subscription price for each user',
        'Whether the data will be adequately protected',
        'The number of features of the tool',
        'The language of the tool’s interface',
      ],
      explanation:
        'Under the GDPR, a transfer outside the EU needs adequate protection (an adequacy decision or safeguards such as standard clauses). In Québec, Law 25 requires a privacy impact assessment before communicating information outside Québec.',
    },
  },

  // 4.3 Protecting health and well-being
  {
    key: '4.3-01',
    competence: '4.3',
    level: 1,
    kind: 'true_false',
    correct: [0],
    fr: {
      stem: 'Faire de courtes pauses régulières loin de l’écran réduit la fatigue visuelle.',
      explanation: 'Vrai. Regarder au loin quelques instants, souvent, repose les yeux et permet de changer de posture.',
    },
    en: {
      stem: 'Taking short, regular breaks away from the screen reduces eye strain.',
      explanation: 'True. Looking into the distance for a moment, often, rests the eyes and lets you change posture.',
    },
  },
  {
    key: '4.3-02',
    competence: '4.3',
    level: 2,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'À quelle hauteur placer le haut de votre écran ?',
      options: [
        'À hauteur des yeux ou un peu en dessous',
        'Nettement au-dessus de la hauteur des yeux',
        'À plat sur le bureau, devant le clavier',
      ],
      explanation:
        'Le regard se pose naturellement un peu vers le bas. Un écran trop haut ou trop bas oblige à plier la nuque et cause des douleurs.',
    },
    en: {
      stem: 'At what height should the top of your screen be?',
      options: ['At eye level or slightly below', 'Well above the level of your eyes', 'Flat on the desk, by the keyboard'],
      explanation: 'Your gaze naturally falls slightly downward. A screen that is too high or too low makes you bend your neck and causes pain.',
    },
  },
  {
    key: '4.3-03',
    competence: '4.3',
    level: 3,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Vous finissez un message pour votre équipe le vendredi à 21 h. Qu’est-ce qui respecte le mieux leur temps de repos ?',
      options: [
        'L’envoyer tout de suite avec la mention « urgent »',
        'Programmer l’envoi pour lundi matin',
        'L’envoyer par SMS pour qu’il soit vu',
        'L’envoyer en leur demandant de ne pas répondre',
      ],
      explanation:
        'Un envoi programmé n’arrive que pendant les heures de travail. En France, le droit à la déconnexion des agents publics est reconnu ; au Québec, il dépend des politiques de votre organisation.',
    },
    frCA: {
      stem: 'Vous finissez un courriel pour votre équipe le vendredi à 21 h. Qu’est-ce qui respecte le mieux leur temps de repos de fin de semaine ?',
      options: [
        'L’envoyer tout de suite avec la mention « urgent »',
        'Programmer l’envoi pour lundi matin',
        'L’envoyer par texto pour qu’il soit vu',
        'L’envoyer en leur demandant de ne pas répondre',
      ],
      explanation:
        'Un envoi programmé n’arrive que pendant les heures de travail. Au Québec, le droit à la déconnexion dépend des politiques de votre organisation ; en France, il est reconnu aux agents publics.',
    },
    en: {
      stem: 'You finish a message for your team on Friday at 9 p.m. What best respects their rest time?',
      options: [
        'Send it now marked « urgent »',
        'Schedule it for Monday morning',
        'Send it by text message so it is seen',
        'Send it and ask them not to reply',
      ],
      explanation:
        'A scheduled message arrives only during working hours. In France, public agents have a recognised right to disconnect; in Québec, it depends on your organisation’s policies.',
    },
  },
  {
    key: '4.3-04',
    competence: '4.3',
    level: 4,
    kind: 'multiple',
    correct: [0, 1],
    fr: {
      stem: 'Une collègue reçoit des messages moqueurs répétés dans la messagerie instantanée de l’équipe. Que faut-il faire ?',
      options: [
        'Garder des preuves (captures datées)',
        'Signaler la situation à la hiérarchie ou au référent',
        'Répondre publiquement sur le même ton',
        'Supprimer aussitôt tous les messages',
      ],
      explanation:
        'Des captures datées prouvent les faits, et le signalement permet à l’employeur d’agir. Répondre sur le même ton aggrave la situation, et supprimer efface les preuves.',
    },
    frCA: {
      stem: 'Une collègue reçoit des messages moqueurs répétés dans le clavardage de l’équipe. Que faut-il faire ?',
      options: [
        'Garder des preuves (captures d’écran datées)',
        'Signaler la situation au gestionnaire ou à la personne désignée',
        'Répondre publiquement sur le même ton',
        'Supprimer aussitôt tous les messages',
      ],
    },
    en: {
      stem: 'A colleague receives repeated mocking messages in the team chat. What should be done?',
      options: [
        'Keep evidence (dated screenshots)',
        'Report it to management or the designated contact',
        'Reply publicly in the same tone',
        'Delete all the messages at once',
      ],
      explanation:
        'Dated screenshots prove the facts, and reporting lets the employer act. Replying in the same tone makes things worse, and deleting destroys the evidence.',
    },
  },
  {
    key: '4.3-05',
    competence: '4.3',
    level: 4,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Les notifications constantes vous empêchent de vous concentrer. Quelle mesure est la plus efficace ?',
      options: [
        'Répondre à chaque notification dès qu’elle arrive',
        'Baisser le volume sonore de l’ordinateur',
        'Réserver des plages sans notifications non essentielles',
        'Fermer l’ordinateur toutes les dix minutes',
      ],
      explanation:
        'Chaque interruption coûte du temps pour se reconcentrer. Réserver des plages sans notifications, en gardant les alertes vraiment utiles, réduit la charge mentale.',
    },
    en: {
      stem: 'Constant notifications stop you from concentrating. Which measure is the most effective?',
      options: [
        'Answer each notification as soon as it arrives',
        'Turn down the computer’s sound volume',
        'Set focus periods without non-essential alerts',
        'Shut the laptop lid every ten minutes',
      ],
      explanation:
        'Each interruption costs time to refocus. Keeping periods free of notifications, while leaving truly useful alerts on, lowers the mental load.',
    },
  },
  {
    key: '4.3-06',
    competence: '4.3',
    level: 5,
    kind: 'true_false',
    correct: [0],
    fr: {
      stem: 'En France, une personne peut être condamnée pour cyberharcèlement même si elle n’a envoyé qu’un seul message, quand elle savait que d’autres visaient la même victime.',
      explanation:
        'Vrai. Depuis 2018, le Code pénal réprime le harcèlement « en meute » : chaque participant est responsable, même pour un seul message.',
    },
    en: {
      stem: 'In France, a person can be convicted of online harassment even if they sent only one message, when they knew others were targeting the same victim.',
      explanation:
        'True. Since 2018, the French Criminal Code punishes « pack » harassment: each participant is liable, even for a single message.',
    },
  },
  {
    key: '4.3-07',
    competence: '4.3',
    level: 7,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Un agent de votre équipe est harcelé en ligne par des usagers après une publication faite pour le service. En tant que gestionnaire, que devez-vous faire ?',
      options: [
        'Lui conseiller de fermer ses comptes et d’attendre',
        'Lui dire que cela relève de sa vie privée',
        'Répondre vous-même aux auteurs sur les réseaux',
        'Déclencher la protection que l’employeur lui doit',
      ],
      explanation:
        'L’employeur doit protéger l’agent attaqué en raison de ses fonctions : en France, c’est la protection fonctionnelle. Alertez votre hiérarchie et gardez les preuves.',
    },
    frCA: {
      stem: 'Un employé de votre équipe est harcelé en ligne par des citoyens après une publication faite pour l’organisation. En tant que gestionnaire, que devez-vous faire ?',
      options: [
        'Lui conseiller de fermer ses comptes et d’attendre',
        'Lui dire que cela relève de sa vie privée',
        'Répondre vous-même aux auteurs sur les réseaux',
        'Prendre les mesures de protection que l’employeur lui doit',
      ],
      explanation:
        'Au Québec, l’employeur doit prendre les moyens raisonnables pour prévenir et faire cesser le harcèlement (Loi sur les normes du travail). Alertez votre direction et gardez les preuves.',
    },
    en: {
      stem: 'A member of your team is harassed online by members of the public after a post made for the service. As their manager, what must you do?',
      options: [
        'Advise them to close their accounts and wait',
        'Tell them it is a private matter',
        'Answer the authors yourself on social media',
        'Start the protection the employer owes them',
      ],
      explanation:
        'The employer must protect an agent attacked because of their duties: in France this is the « protection fonctionnelle »; in Québec, the employer must take reasonable means to prevent and stop harassment (Act respecting labour standards). Alert your hierarchy and keep the evidence.',
    },
  },

  // 4.4 Protecting the environment
  {
    key: '4.4-01',
    competence: '4.4',
    level: 1,
    kind: 'true_false',
    correct: [0],
    fr: {
      stem: 'Éteindre son ordinateur et son écran en fin de journée économise de l’énergie.',
      explanation: 'Vrai. Un poste laissé allumé ou en veille toute la nuit consomme pour rien.',
    },
    en: {
      stem: 'Turning off your computer and screen at the end of the day saves energy.',
      explanation: 'True. A computer left on or in standby all night uses power for nothing.',
    },
  },
  {
    key: '4.4-02',
    competence: '4.4',
    level: 2,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Vous devez transmettre un fichier de 20 Mo à 30 collègues. Quelle solution est la plus sobre ?',
      options: [
        'L’envoyer en pièce jointe à tous en une fois',
        'Le déposer en espace partagé et envoyer le lien',
        'L’envoyer en pièce jointe à chacun séparément',
      ],
      explanation:
        'Un lien évite 30 copies du fichier sur les serveurs de messagerie. Tout le monde voit aussi la même version, à jour.',
    },
    frCA: {
      options: [
        'L’envoyer en pièce jointe à tous en une fois',
        'Le téléverser en espace partagé et envoyer le lien',
        'L’envoyer en pièce jointe à chacun séparément',
      ],
      explanation:
        'Un lien évite 30 copies du fichier sur les serveurs de courriel. Tout le monde voit aussi la même version, à jour.',
    },
    en: {
      stem: 'You must send a 20 MB file to 30 colleagues. Which solution is the most sober?',
      options: [
        'Send it as an attachment to everyone at once',
        'Upload it to the shared space and send the link',
        'Send it as an attachment to each person separately',
      ],
      explanation:
        'A link avoids 30 copies of the file on the mail servers. Everyone also sees the same, up-to-date version.',
    },
  },
  {
    key: '4.4-03',
    competence: '4.4',
    level: 3,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Votre ancien ordinateur portable professionnel ne vous sert plus. Que faites-vous ?',
      options: [
        'Le jeter avec les ordures ménagères du bureau',
        'Le garder dans un tiroir au cas où il servirait',
        'Le rendre à l’informatique pour réemploi ou recyclage',
        'Le donner à un proche sans effacer son contenu',
      ],
      explanation:
        'Le service informatique efface les données de façon sûre, puis fait réemployer ou recycler l’appareil dans une filière adaptée. Un appareil qui dort dans un tiroir ne sert à personne.',
    },
    en: {
      stem: 'You no longer use your old work laptop. What do you do?',
      options: [
        'Throw it out with the office rubbish',
        'Keep it in a drawer in case it is needed',
        'Return it to IT for reuse or recycling',
        'Give it to a relative without wiping it first',
      ],
      explanation:
        'IT wipes the data safely, then has the device reused or recycled through a proper channel. A device sleeping in a drawer helps nobody.',
    },
  },
  {
    key: '4.4-04',
    competence: '4.4',
    level: 4,
    kind: 'multiple',
    correct: [0, 1],
    fr: {
      stem: 'Quelles pratiques réduisent l’impact environnemental de vos réunions en visioconférence ?',
      options: [
        'Couper la caméra quand elle n’est pas utile',
        'Partager les documents par un lien plutôt qu’en pièce jointe',
        'Enregistrer toutes les réunions par défaut',
        'Laisser la visioconférence ouverte entre deux réunions',
      ],
      explanation:
        'La vidéo et les copies multiples de fichiers pèsent le plus dans les échanges. Des enregistrements systématiques et des connexions laissées ouvertes consomment sans servir.',
    },
    en: {
      stem: 'Which practices reduce the environmental impact of your video meetings?',
      options: [
        'Turning off the camera when it is not useful',
        'Sharing documents as a link rather than an attachment',
        'Recording every meeting by default',
        'Leaving the video call open between meetings',
      ],
      explanation:
        'Video and multiple copies of files weigh the most in exchanges. Systematic recordings and connections left open use resources without serving anyone.',
    },
  },
  {
    key: '4.4-05',
    competence: '4.4',
    level: 5,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Pour un ordinateur portable ou un téléphone, quelle étape de sa vie pèse le plus dans son empreinte carbone ?',
      options: ['Sa fabrication', 'Son utilisation quotidienne', 'Son transport jusqu’à vous', 'Son emballage'],
      explanation:
        'La fabrication (extraction des métaux, composants) représente la plus grande part de l’empreinte. Garder un appareil plus longtemps est donc l’un des gestes les plus efficaces.',
    },
    en: {
      stem: 'For a laptop or a phone, which stage of its life weighs the most in its carbon footprint?',
      options: ['Its manufacturing', 'Its daily use', 'Its shipping to you', 'Its packaging'],
      explanation:
        'Manufacturing (mining metals, making components) is the largest part of the footprint. Keeping a device longer is therefore one of the most effective actions.',
    },
  },
  {
    key: '4.4-06',
    competence: '4.4',
    level: 6,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Votre service achète de nouveaux ordinateurs. Quel critère réduit le plus leur impact environnemental ?',
      options: [
        'Le processeur le plus puissant du marché',
        'Le modèle le plus fin et le plus léger',
        'Le prix d’achat le plus bas du marché',
        'La réparabilité et la disponibilité des pièces',
      ],
      explanation:
        'Un appareil réparable, avec des pièces et des mises à jour disponibles longtemps, dure plus longtemps. En France, l’indice de réparabilité aide à comparer les modèles.',
    },
    frCA: {
      stem: 'Votre organisation achète de nouveaux ordinateurs. Quel critère réduit le plus leur impact environnemental ?',
      explanation:
        'Un appareil réparable, avec des pièces et des mises à jour disponibles longtemps, dure plus longtemps. Demandez aux fournisseurs la durée de disponibilité des pièces et du soutien.',
    },
    en: {
      stem: 'Your department is buying new computers. Which criterion most reduces their environmental impact?',
      options: [
        'The most powerful processor on the market',
        'The thinnest and lightest model',
        'The lowest purchase price on the market',
        'Repairability and available spare parts',
      ],
      explanation:
        'A repairable device, with parts and updates available for a long time, lasts longer. In France, the repairability index helps compare models.',
    },
  },
  {
    key: '4.4-07',
    competence: '4.4',
    level: 7,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Vous pilotez la conception d’un service en ligne. Quelle décision réduit le plus son impact sur sa durée de vie ?',
      options: [
        'Ajouter des vidéos qui se lancent automatiquement',
        'Qu’il marche sur d’anciens appareils et réseaux lents',
        'Exiger la dernière version de chaque navigateur',
        'Charger toutes les pages à l’avance, par défaut',
      ],
      explanation:
        'Un service qui fonctionne sur d’anciens appareils ne pousse pas les usagers à en changer. En France, le référentiel d’écoconception RGESN en fait un critère.',
    },
    en: {
      stem: 'You lead the design of an online service. Which decision most reduces its impact over its lifetime?',
      options: [
        'Adding videos that start automatically',
        'Making it work on old devices and slow networks',
        'Requiring the latest version of each browser',
        'Preloading every page in advance by default',
      ],
      explanation:
        'A service that works on old devices does not push users to replace them. In France, the RGESN eco-design framework makes this a criterion.',
    },
  },
] satisfies AuthoredItem[];
