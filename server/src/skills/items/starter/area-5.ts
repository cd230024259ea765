import type { AuthoredItem } from '../types.ts';

/**
 * Starter items for DigComp area 5, « Problem solving » (5.1–5.4), written for public agents of
 * France and Québec, including the responsible use of generative AI (5.3).
 */
export const AREA_5_ITEMS = [
  // 5.1 Solving technical problems
  {
    key: '5.1-01',
    competence: '5.1',
    level: 1,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Une application ne répond plus. Quel est le premier geste simple à essayer ?',
      options: [
        'La fermer puis la rouvrir',
        'Réinstaller tout l’ordinateur',
        'Débrancher l’écran',
      ],
      explanation: 'Fermer et rouvrir l’application règle souvent un blocage passager. Les gestes plus lourds ne viennent qu’ensuite, avec l’aide du soutien informatique.',
    },
    en: {
      stem: 'An application has stopped responding. What is the first simple step to try?',
      options: ['Close it and open it again', 'Reinstall the whole computer', 'Unplug the screen'],
      explanation: 'Closing and reopening the application often clears a passing freeze. Heavier steps come later, with IT support’s help.',
    },
  },
  {
    key: '5.1-02',
    competence: '5.1',
    level: 2,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'L’imprimante n’imprime pas votre document. Que vérifiez-vous d’abord ?',
      options: [
        'Que le document ne contient pas d’images',
        'Que vos collègues ont le même problème',
        'Qu’elle est allumée, a du papier et aucune erreur',
        'Que votre navigateur est à jour',
      ],
      explanation: 'Les causes les plus fréquentes sont les plus simples : alimentation, papier, bourrage, message d’erreur. Vérifiez-les avant d’appeler le soutien.',
    },
    en: {
      stem: 'The printer does not print your document. What do you check first?',
      options: [
        'That the document contains no images',
        'That your colleagues have the same problem',
        'That it is on, has paper and shows no error',
        'That your browser is up to date',
      ],
      explanation: 'The most common causes are the simplest: power, paper, jam, an error message. Check them before calling support.',
    },
  },
  {
    key: '5.1-03',
    competence: '5.1',
    level: 3,
    kind: 'multiple',
    correct: [0, 1, 2],
    fr: {
      stem: 'Vous signalez un problème au service d’assistance. Quelles informations l’aident à le résoudre ?',
      options: [
        'Le message d’erreur exact ou une capture d’écran',
        'Ce que vous faisiez juste avant le problème',
        'Depuis quand le problème se produit',
        'Votre avis sur la qualité du logiciel',
      ],
      explanation:
        'Le message exact, les étapes et le moment permettent de reproduire et de situer le problème. Un avis général n’aide pas à le diagnostiquer.',
    },
    frCA: {
      stem: 'Vous signalez un problème au centre de services (soutien informatique). Quelles informations l’aident à le résoudre ?',
    },
    en: {
      stem: 'You report a problem to the service desk. Which information helps it solve the problem?',
      options: [
        'The exact error message or a screenshot',
        'What you were doing just before the problem',
        'Since when the problem has occurred',
        'Your opinion on the software’s quality',
      ],
      explanation:
        'The exact message, the steps and the timing make it possible to reproduce and locate the problem. A general opinion does not help the diagnosis.',
    },
  },
  {
    key: '5.1-04',
    competence: '5.1',
    level: 4,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Une application Web fonctionne pour vos collègues mais pas pour vous, sur le même navigateur. Qu’essayez-vous d’abord ?',
      options: [
        'Demander tout de suite un nouvel ordinateur',
        'L’ouvrir en navigation privée ou vider le cache',
        'Changer votre mot de passe de session',
        'Attendre le lendemain sans rien signaler',
      ],
      explanation:
        'Si cela ne touche que vous, des données gardées par votre navigateur (cache, témoins) ou une extension sont souvent en cause. La navigation privée les contourne et le confirme vite.',
    },
    en: {
      stem: 'A web application works for your colleagues but not for you, in the same browser. What do you try first?',
      options: [
        'Ask for a new computer right away',
        'Open it in a private window or clear the cache',
        'Change the password of your session',
        'Wait until tomorrow without reporting it',
      ],
      explanation:
        'When only you are affected, data kept by your browser (cache, cookies) or an extension is often the cause. A private window bypasses them and confirms it quickly.',
    },
  },
  {
    key: '5.1-05',
    competence: '5.1',
    level: 4,
    kind: 'short_answer',
    correct: [],
    fr: {
      stem: 'Sous Windows, quel raccourci clavier ouvre directement le Gestionnaire des tâches ?',
      // Matching ignores case, accents, spaces and « + » (scoring.ts): one spelling per key combination,
      // keys named in French, in English, or half and half as keyboards and habits mix them.
      accepted: [
        'Ctrl+Maj+Échap',
        'Ctrl+Shift+Esc',
        'Ctrl+Maj+Esc',
        'Control+Shift+Escape',
        'Ctrl+Shift+Escape',
        'Ctrl+Shift+Échap',
        'Ctrl+Maj+Escape',
        'Contrôle+Maj+Échap',
      ],
      explanation:
        'Ctrl + Maj + Échap ouvre le Gestionnaire des tâches, qui montre les applications qui bloquent ou consomment beaucoup. Ctrl + Alt + Suppr passe d’abord par un écran de sécurité.',
    },
    en: {
      stem: 'On Windows, which keyboard shortcut opens the Task Manager directly?',
      accepted: ['Ctrl+Shift+Esc', 'Ctrl Shift Esc', 'Control+Shift+Escape', 'Ctrl+Shift+Escape', 'Control Shift Esc'],
      explanation:
        'Ctrl + Shift + Esc opens the Task Manager, which shows the applications that hang or use a lot of resources. Ctrl + Alt + Del goes through a security screen first.',
    },
  },
  {
    key: '5.1-06',
    competence: '5.1',
    level: 5,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Vous n’accédez à aucun site Web, alors qu’un collègue branché au même réseau y accède. Qu’en déduisez-vous ?',
      options: [
        'Le problème vient sans doute de votre poste',
        'Le réseau de l’organisation est en panne',
        'Tous les sites Web sont en panne en ce moment',
        'Votre compte de session a été supprimé',
      ],
      explanation:
        'Si le réseau fonctionne pour un autre poste, la cause est probablement locale : câble, Wi-Fi, paramètres ou logiciel. Comparer avec un poste voisin isole le problème.',
    },
    en: {
      stem: 'You cannot reach any website, while a colleague on the same network can. What do you conclude?',
      options: [
        'The problem probably lies with your computer',
        'The organisation’s network is down',
        'Every website is down at the moment',
        'Your user account has been deleted',
      ],
      explanation:
        'If the network works for another computer, the cause is probably local: cable, Wi-Fi, settings or software. Comparing with a nearby computer isolates the problem.',
    },
  },
  {
    key: '5.1-07',
    competence: '5.1',
    level: 7,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Un site ne s’affiche plus correctement et vous avez douze extensions dans votre navigateur. Quelle méthode trouve le plus vite celle qui est en cause ?',
      options: [
        'Les désinstaller toutes définitivement',
        'Réinstaller le navigateur',
        'Les désactiver une par une, dans l’ordre',
        'Les désactiver par moitiés successives',
      ],
      explanation:
        'Désactiver la moitié des extensions dit dans quelle moitié est la fautive ; on recommence sur cette moitié. Avec douze extensions, quatre essais suffisent au lieu de douze au pire.',
    },
    en: {
      stem: 'A site no longer displays correctly and your browser has twelve extensions. Which method finds the faulty one fastest?',
      options: [
        'Uninstall them all for good',
        'Reinstall the browser',
        'Disable them one by one, in order',
        'Disable them in successive halves',
      ],
      explanation:
        'Disabling half of the extensions tells you which half holds the faulty one; then repeat on that half. With twelve extensions, four tries are enough instead of twelve at worst.',
    },
  },

  // 5.2 Identifying needs and technological responses
  {
    key: '5.2-01',
    competence: '5.2',
    level: 1,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Vous devez réunir des collègues de trois villes pour une heure d’échange. Quel outil choisissez-vous ?',
      options: [
        'Un long fil de messages électroniques',
        'La visioconférence de votre organisation',
        'Un document partagé, sans réunion en direct',
      ],
      explanation: 'La visioconférence permet un échange en direct sans déplacement. L’outil fourni par l’organisation respecte ses règles de sécurité.',
    },
    frCA: {
      options: [
        'Un long échange de courriels entre tous',
        'La visioconférence de votre organisation',
        'Un document partagé, sans réunion en direct',
      ],
    },
    en: {
      stem: 'You need to bring together colleagues from three cities for an hour’s discussion. Which tool do you choose?',
      options: [
        'A long email thread with everyone',
        'Your organisation’s video conferencing',
        'A shared document, with no live meeting',
      ],
      explanation: 'Video conferencing allows a live discussion without travel. The tool provided by your organisation follows its security rules.',
    },
  },
  {
    key: '5.2-02',
    competence: '5.2',
    level: 2,
    kind: 'true_false',
    correct: [0],
    fr: {
      stem: 'Avant d’installer une nouvelle application pour le travail, vous devez vérifier que votre organisation l’autorise.',
      explanation:
        'Vrai. Une application non autorisée peut exposer des données ou introduire une faille. Le service informatique sait si un outil équivalent existe déjà.',
    },
    en: {
      stem: 'Before installing a new application for work, you must check that your organisation allows it.',
      explanation:
        'True. An unapproved application may expose data or open a security hole. IT knows whether an equivalent tool already exists.',
    },
  },
  {
    key: '5.2-03',
    competence: '5.2',
    level: 3,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Votre équipe reçoit les inscriptions par messagerie puis les recopie dans un tableur. Quelle réponse technique est la mieux adaptée ?',
      options: [
        'Recruter une personne pour la saisie',
        'Demander aux gens d’écrire plus lisiblement',
        'Un formulaire en ligne qui remplit le tableau',
        'Imprimer les messages pour les classer',
      ],
      explanation:
        'Un formulaire approuvé par l’organisation range directement chaque réponse dans un tableau. On supprime la recopie et les erreurs qu’elle cause.',
    },
    frCA: {
      stem: 'Votre équipe reçoit les inscriptions par courriel puis les recopie dans un tableur. Quelle réponse technique est la mieux adaptée ?',
      options: [
        'Embaucher une personne pour la saisie',
        'Demander aux gens d’écrire plus lisiblement',
        'Un formulaire en ligne qui remplit le tableau',
        'Imprimer les courriels pour les classer',
      ],
    },
    en: {
      stem: 'Your team receives registrations by email, then retypes them into a spreadsheet. Which technical response fits best?',
      options: [
        'Hire someone to do the data entry',
        'Ask people to write more clearly',
        'An online form that fills the table',
        'Print the messages to file them',
      ],
      explanation:
        'A form approved by the organisation puts each answer straight into a table. It removes the retyping and the errors it causes.',
    },
  },
  {
    key: '5.2-04',
    competence: '5.2',
    level: 4,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Une collègue malvoyante a du mal à lire le texte à l’écran. Quelle aide intégrée à l’ordinateur proposer d’abord ?',
      options: [
        'La loupe et l’agrandissement',
        'Le mode avion du système',
        'Le clavier virtuel à l’écran',
        'La mise en veille rapide de l’écran',
      ],
      explanation:
        'Les systèmes courants intègrent une loupe, un agrandissement et des thèmes à fort contraste. Si cela ne suffit pas, un aménagement du poste peut être demandé.',
    },
    en: {
      stem: 'A colleague with low vision finds the on-screen text hard to read. Which built-in aid do you suggest first?',
      options: [
        'The magnifier and zoom',
        'The system’s airplane mode',
        'The on-screen keyboard',
        'Quick screen sleep mode',
      ],
      explanation:
        'Common systems include a magnifier, display scaling and high-contrast themes. If that is not enough, an adapted workstation can be requested.',
    },
  },
  {
    key: '5.2-05',
    competence: '5.2',
    level: 5,
    kind: 'multiple',
    correct: [0, 1, 2],
    fr: {
      stem: 'Vous choisissez un outil collaboratif pour votre équipe. Quels critères comptent ?',
      options: [
        'Un hébergement conforme aux règles de protection des données',
        'Son accessibilité pour tous les agents',
        'Sa compatibilité avec des formats ouverts',
        'Sa popularité auprès de vos proches',
      ],
      explanation:
        'L’outil doit protéger les données selon les règles de l’organisation, être utilisable par tous et échanger avec d’autres outils. Sa popularité ne dit rien de cela.',
    },
    frCA: {
      options: [
        'Un hébergement conforme aux règles de protection des renseignements',
        'Son accessibilité pour tous les employés',
        'Sa compatibilité avec des formats ouverts',
        'Sa popularité auprès de vos proches',
      ],
    },
    en: {
      stem: 'You are choosing a collaboration tool for your team. Which criteria matter?',
      options: [
        'Hosting that complies with data protection rules',
        'Its accessibility for every agent',
        'Its compatibility with open formats',
        'Its popularity among your friends',
      ],
      explanation:
        'The tool must protect data under the organisation’s rules, be usable by everyone and exchange with other tools. Popularity says nothing about that.',
    },
  },
  {
    key: '5.2-06',
    competence: '5.2',
    level: 6,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Votre service veut acheter un logiciel pour un nouveau besoin. Que vérifiez-vous d’abord ?',
      options: [
        'Quel logiciel a la meilleure publicité',
        'Si un outil déjà disponible couvre le besoin',
        'Quel logiciel utilise la plus grande entreprise',
        'Si une version d’essai gratuite existe',
      ],
      explanation:
        'Un outil déjà en place, ou mutualisé entre administrations, évite un achat et une nouvelle formation. En France, le Socle interministériel de logiciels libres (SILL) recense des logiciels recommandés.',
    },
    frCA: {
      stem: 'Votre organisation veut acheter un logiciel pour un nouveau besoin. Que vérifiez-vous d’abord ?',
      explanation:
        'Un outil déjà en place, ou partagé entre organismes publics, évite un achat et une nouvelle formation. Votre direction des technologies de l’information connaît les solutions existantes.',
    },
    en: {
      stem: 'Your department wants to buy software for a new need. What do you check first?',
      options: [
        'Which software has the best advertising',
        'Whether a tool already available covers the need',
        'Which software the largest company uses',
        'Whether there is a free trial version',
      ],
      explanation:
        'A tool already in place, or shared between administrations, avoids a purchase and new training. In France, the interministerial free software base (SILL) lists recommended software.',
    },
  },
  {
    key: '5.2-07',
    competence: '5.2',
    level: 7,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Vous rédigez la demande d’un nouvel outil numérique pour votre direction. Par quoi la demande doit-elle commencer ?',
      options: [
        'Le nom du produit que vous voulez',
        'Le budget maximal disponible cette année',
        'Les besoins des futurs utilisateurs',
        'La liste de toutes les fonctions possibles',
      ],
      explanation:
        'Partir des besoins permet de comparer plusieurs solutions, dont des outils existants. Commencer par un produit ferme la comparaison avant de l’avoir faite.',
    },
    en: {
      stem: 'You are writing the request for a new digital tool for your directorate. What should the request start from?',
      options: [
        'The name of the product you want',
        'The maximum budget available this year',
        'The needs of the future users',
        'A list of every possible feature',
      ],
      explanation:
        'Starting from needs makes it possible to compare several solutions, including existing tools. Starting with a product closes the comparison before it is made.',
    },
  },

  // 5.3 Creatively using digital technologies (including generative AI)
  {
    key: '5.3-01',
    competence: '5.3',
    level: 1,
    kind: 'true_false',
    correct: [0],
    fr: {
      stem: 'Un texte produit par une IA générative peut contenir des erreurs présentées avec assurance.',
      explanation: 'Vrai. Ces outils produisent un texte plausible, pas forcément exact. Il faut vérifier ce qu’ils affirment.',
    },
    en: {
      stem: 'Text produced by a generative AI can contain errors stated with confidence.',
      explanation: 'True. These tools produce plausible text, not necessarily accurate text. What they state must be checked.',
    },
  },
  {
    key: '5.3-02',
    competence: '5.3',
    level: 2,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Pour rédiger une réponse, pouvez-vous coller le dossier d’un usager (nom, situation) dans un agent conversationnel grand public ?',
      options: [
        'Oui, si la réponse est relue avant envoi',
        'Oui, si l’outil est gratuit et très connu',
        'Non, seulement dans un outil approuvé pour ces données',
        'Oui, si vous supprimez la conversation après',
      ],
      explanation:
        'Un outil grand public peut conserver et réutiliser ce que vous y collez. Les données personnelles ou confidentielles ne vont que dans un outil approuvé par votre organisation, selon ses règles.',
    },
    frCA: {
      stem: 'Pour rédiger une réponse, pouvez-vous coller le dossier d’un citoyen (nom, situation) dans un agent conversationnel grand public ?',
      explanation:
        'Un outil grand public peut conserver et réutiliser ce que vous y collez. Les renseignements personnels ou confidentiels ne vont que dans un outil approuvé par votre organisation, selon ses règles.',
    },
    en: {
      stem: 'To draft a reply, may you paste a service user’s file (name, situation) into a consumer AI chatbot?',
      options: [
        'Yes, if the reply is reviewed before sending',
        'Yes, if the tool is free and well known',
        'No, only in a tool approved for such data',
        'Yes, if you delete the conversation afterwards',
      ],
      explanation:
        'A consumer tool may keep and reuse what you paste into it. Personal or confidential data goes only into a tool your organisation has approved, following its rules.',
    },
  },
  {
    key: '5.3-03',
    competence: '5.3',
    level: 3,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Une IA vous résume un texte réglementaire en citant des numéros d’articles. Que faites-vous avant d’utiliser ce résumé ?',
      options: [
        'Demander à l’IA si elle est sûre d’elle',
        'Vérifier chaque article cité sur Légifrance',
        'Le transmettre tel quel, les numéros semblant précis',
        'Demander le même résumé à une autre IA',
      ],
      explanation:
        'Une IA peut inventer ou mélanger des références. Seule la source officielle (Légifrance en France) fait foi ; une autre IA peut faire la même erreur.',
    },
    frCA: {
      options: [
        'Demander à l’IA si elle est sûre d’elle',
        'Vérifier chaque article cité sur LégisQuébec',
        'Le transmettre tel quel, les numéros semblant précis',
        'Demander le même résumé à une autre IA',
      ],
      explanation:
        'Une IA peut inventer ou mélanger des références. Seule la source officielle (LégisQuébec au Québec) fait foi ; une autre IA peut faire la même erreur.',
    },
    en: {
      stem: 'An AI summarises a regulation for you, citing article numbers. What do you do before using the summary?',
      options: [
        'Ask the AI whether it is sure',
        'Check each article in the official source',
        'Pass it on as is, since the numbers look precise',
        'Ask another AI for the same summary',
      ],
      explanation:
        'An AI can invent or mix up references. Only the official source (Légifrance in France, LégisQuébec in Québec) is authoritative; another AI can make the same mistake.',
    },
  },
  {
    key: '5.3-04',
    competence: '5.3',
    level: 4,
    kind: 'multiple',
    correct: [0, 1],
    fr: {
      stem: 'Quels usages de l’IA générative au travail sont responsables ?',
      options: [
        'Dire à vos lecteurs qu’un texte a été largement produit par une IA',
        'Relire et corriger le résultat avant de l’utiliser',
        'Coller une note confidentielle dans un outil public pour la résumer',
        'Présenter une image générée comme une vraie photo',
      ],
      explanation:
        'Être transparent et vérifier le résultat sont la base d’un usage responsable. Une note confidentielle ne va pas dans un outil non approuvé, et une image générée ne doit pas passer pour une photo réelle.',
    },
    en: {
      stem: 'Which uses of generative AI at work are responsible?',
      options: [
        'Telling readers that a text was largely produced by AI',
        'Reviewing and correcting the output before using it',
        'Pasting a confidential memo into a public tool to summarise it',
        'Presenting a generated image as a real photo',
      ],
      explanation:
        'Being transparent and checking the output are the basis of responsible use. A confidential memo does not go into an unapproved tool, and a generated image must not pass as a real photo.',
    },
  },
  {
    key: '5.3-05',
    competence: '5.3',
    level: 4,
    kind: 'short_answer',
    correct: [],
    fr: {
      stem: 'Comment appelle-t-on une réponse fausse mais plausible, inventée par une IA générative (par exemple une source qui n’existe pas) ?',
      accepted: ['hallucination', 'une hallucination', 'hallucinations', 'confabulation', 'une confabulation'],
      explanation:
        'On parle d’hallucination : l’IA produit une suite de mots vraisemblable sans vérifier qu’elle est vraie. C’est pourquoi il faut contrôler les faits et les sources.',
    },
    en: {
      stem: 'What do we call a false but plausible answer invented by a generative AI (for example, a source that does not exist)?',
      accepted: ['hallucination', 'a hallucination', 'an hallucination', 'hallucinations', 'confabulation'],
      explanation:
        'It is called a hallucination: the AI produces a likely sequence of words without checking that it is true. That is why facts and sources must be checked.',
    },
  },
  {
    key: '5.3-06',
    competence: '5.3',
    level: 5,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Pourquoi une IA générative peut-elle donner des réponses différentes à la même question ?',
      options: [
        'Parce qu’elle consulte un autre expert à chaque fois',
        'Parce qu’elle corrige ses erreurs d’une fois sur l’autre',
        'Parce que quelqu’un modifie ses réponses en direct',
        'Parce qu’elle produit le texte selon des probabilités',
      ],
      explanation:
        'Le modèle choisit les mots un à un selon des probabilités, avec une part de hasard. Il ne puise pas dans une base de réponses fixes et ne se corrige pas tout seul.',
    },
    en: {
      stem: 'Why can a generative AI give different answers to the same question?',
      options: [
        'Because it consults a different expert each time',
        'Because it corrects its mistakes from one time to the next',
        'Because someone edits its answers live',
        'Because it produces text according to probabilities',
      ],
      explanation:
        'The model picks words one by one according to probabilities, with some randomness. It does not draw on a base of fixed answers and does not correct itself.',
    },
  },
  {
    key: '5.3-07',
    competence: '5.3',
    level: 6,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Une IA cite un rapport avec son titre, son auteur et un lien, mais le lien ne mène à rien. Que faites-vous ?',
      options: [
        'Le chercher dans une source fiable avant de le citer',
        'Le citer quand même, le titre ayant l’air crédible',
        'Demander à l’IA un autre lien vers le même rapport',
        'Citer l’IA comme source à la place du rapport',
      ],
      explanation:
        'La référence peut avoir été inventée. Ne citez que ce que vous avez trouvé et lu vous-même dans une source fiable.',
    },
    en: {
      stem: 'An AI cites a report with its title, author and a link, but the link leads nowhere. What do you do?',
      options: [
        'Look for it in a reliable source before citing it',
        'Cite it anyway, since the title looks credible',
        'Ask the AI for another link to the same report',
        'Cite the AI as the source instead of the report',
      ],
      explanation: 'The reference may have been invented. Only cite what you have found and read yourself in a reliable source.',
    },
  },
  {
    key: '5.3-08',
    competence: '5.3',
    level: 7,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Votre service veut statuer sur des demandes par un algorithme, sans examen humain. Que doit-il garantir aux personnes concernées ?',
      options: [
        'Rien de plus qu’une décision prise par un agent',
        'Les informer, expliquer et permettre un réexamen humain',
        'La publication du code source de l’algorithme uniquement',
        'Une réponse plus rapide qu’avec un examen humain',
      ],
      explanation:
        'En France, la décision doit mentionner le traitement algorithmique, ses règles sont expliquées sur demande (Code des relations entre le public et l’administration) et la personne peut la contester. Au Québec, la Loi 25 exige aussi d’informer la personne et de lui permettre de présenter ses observations à un membre du personnel.',
    },
    frCA: {
      stem: 'Votre organisation veut statuer sur des demandes par un algorithme, sans examen humain. Que doit-elle garantir aux personnes concernées ?',
      options: [
        'Rien de plus qu’une décision prise par un employé',
        'Les informer, expliquer et permettre un réexamen humain',
        'La publication du code source de l’algorithme uniquement',
        'Une réponse plus rapide qu’avec un examen humain',
      ],
      explanation:
        'Au Québec, la Loi 25 exige d’informer la personne d’une décision fondée exclusivement sur un traitement automatisé, de lui expliquer les raisons et de lui permettre de présenter ses observations à un membre du personnel. En France, le Code des relations entre le public et l’administration et le RGPD posent des garanties semblables.',
    },
    en: {
      stem: 'Your department wants to decide on applications with an algorithm, with no human review. What must it guarantee to the people concerned?',
      options: [
        'Nothing more than for an agent’s decision',
        'Inform them, explain and allow a human review',
        'Only publishing the algorithm’s source code',
        'A faster answer than a human review gives',
      ],
      explanation:
        'In France, the decision must mention the algorithmic processing, its rules are explained on request (Code of relations between the public and the administration) and the person can contest it. In Québec, Law 25 also requires informing the person and letting them submit observations to a staff member who can review the decision.',
    },
  },

  // 5.4 Identifying digital competence gaps
  {
    key: '5.4-01',
    competence: '5.4',
    level: 1,
    kind: 'true_false',
    correct: [0],
    fr: {
      stem: 'Les compétences numériques doivent être mises à jour tout au long de la carrière, car les outils et les risques changent.',
      explanation: 'Vrai. Les logiciels, les menaces et les règles évoluent sans cesse : ce qu’on savait faire il y a cinq ans ne suffit plus toujours.',
    },
    en: {
      stem: 'Digital skills need updating throughout your career, because tools and risks change.',
      explanation: 'True. Software, threats and rules keep changing: what you could do five years ago is not always enough now.',
    },
  },
  {
    key: '5.4-02',
    competence: '5.4',
    level: 2,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Vous avez du mal avec un nouvel outil adopté par votre service. Quelle est une bonne première démarche ?',
      options: [
        'Consulter l’aide et demander une formation',
        'Continuer discrètement à utiliser l’ancien outil',
        'Demander à un collègue de tout faire à votre place',
      ],
      explanation:
        'L’aide intégrée, les tutoriels et la formation sont faits pour cela. Signaler la difficulté permet aussi à l’organisation d’adapter l’accompagnement.',
    },
    en: {
      stem: 'You are struggling with a new tool your team has adopted. What is a good first step?',
      options: [
        'Use the help and ask for training',
        'Keep using the old tool without a word',
        'Ask a colleague to do everything for you',
      ],
      explanation:
        'Built-in help, tutorials and training exist for this. Reporting the difficulty also lets the organisation adjust its support.',
    },
  },
  {
    key: '5.4-03',
    competence: '5.4',
    level: 3,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Comment repérer de façon fiable vos propres lacunes numériques ?',
      options: [
        'Vous fier à votre impression d’être à l’aise',
        'Compter les logiciels installés sur votre poste',
        'Comparer vos tâches à ce que vous savez faire seul',
        'Attendre qu’une erreur vous le révèle',
      ],
      explanation:
        'Partir de vos tâches réelles et d’un référentiel, comme cette évaluation, donne une image plus juste que l’impression personnelle. Attendre l’erreur coûte plus cher.',
    },
    en: {
      stem: 'How can you reliably spot your own digital skill gaps?',
      options: [
        'Trust your own feeling of being at ease',
        'Count the software installed on your computer',
        'Compare your tasks with what you can do alone',
        'Wait for a mistake to reveal it',
      ],
      explanation:
        'Starting from your real tasks and a framework, such as this assessment, gives a truer picture than a personal feeling. Waiting for a mistake costs more.',
    },
  },
  {
    key: '5.4-04',
    competence: '5.4',
    level: 4,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Cette évaluation montre une lacune en protection des données. Quelle suite est la plus efficace ?',
      options: [
        'Lire en une seule fois tout le texte du règlement',
        'Suivre une formation ciblée et la mettre en pratique',
        'Refaire l’évaluation jusqu’à obtenir un meilleur score',
        'Éviter désormais les dossiers avec des données personnelles',
      ],
      explanation:
        'Une formation courte sur le point faible, mise en pratique sur des tâches réelles, s’ancre mieux. Refaire le test sans apprendre ne change pas la compétence.',
    },
    en: {
      stem: 'This assessment shows a gap in data protection. What is the most effective next step?',
      options: [
        'Read the whole regulation in a single sitting',
        'Take a targeted training and put it into practice',
        'Retake the assessment until the score improves',
        'Avoid files with personal data from now on',
      ],
      explanation:
        'A short training on the weak point, practised on real tasks, sticks better. Retaking the test without learning does not change the skill.',
    },
  },
  {
    key: '5.4-05',
    competence: '5.4',
    level: 5,
    kind: 'multiple',
    correct: [0, 1],
    fr: {
      stem: 'Quelles habitudes vous aident à garder vos compétences numériques à jour ?',
      options: [
        'Suivre les alertes de sécurité de votre organisation',
        'Essayer les nouvelles fonctions sur des tâches réelles',
        'Refuser les nouveaux outils tant qu’ils ne sont pas imposés',
        'Compter sur le service informatique pour tout savoir',
      ],
      explanation:
        'Se tenir informé et pratiquer régulièrement entretient les compétences. Attendre ou tout déléguer laisse les lacunes s’installer.',
    },
    en: {
      stem: 'Which habits help you keep your digital skills up to date?',
      options: [
        'Following your organisation’s security alerts',
        'Trying new features on real tasks',
        'Refusing new tools until they are imposed',
        'Relying on IT to know everything',
      ],
      explanation: 'Keeping informed and practising regularly maintains skills. Waiting or handing everything over lets gaps settle in.',
    },
  },
  {
    key: '5.4-06',
    competence: '5.4',
    level: 6,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Plusieurs agents de votre équipe peinent avec le nouveau logiciel de gestion des dossiers. En tant que gestionnaire, que faites-vous ?',
      options: [
        'Leur demander de se débrouiller seuls avec l’aide en ligne',
        'Confier tous les dossiers à l’agent le plus à l’aise',
        'Revenir à l’ancien logiciel pour toute votre équipe',
        'Cibler les difficultés communes : formation ou entraide',
      ],
      explanation:
        'Des difficultés partagées signalent un besoin collectif : une formation ou un appui entre pairs y répond. Tout confier à une seule personne crée une dépendance.',
    },
    frCA: {
      stem: 'Plusieurs employés de votre équipe peinent avec le nouveau logiciel de gestion des dossiers. En tant que gestionnaire, que faites-vous ?',
      options: [
        'Leur demander de se débrouiller seuls avec l’aide en ligne',
        'Confier tous les dossiers à l’employé le plus à l’aise',
        'Revenir à l’ancien logiciel pour toute votre équipe',
        'Cibler les difficultés communes : formation ou entraide',
      ],
    },
    en: {
      stem: 'Several agents in your team are struggling with the new case management software. As their manager, what do you do?',
      options: [
        'Ask them to manage alone with the online help',
        'Give all the files to the most confident agent',
        'Go back to the old software for the whole team',
        'Address shared difficulties with training or peer help',
      ],
      explanation:
        'Shared difficulties point to a collective need: training or peer support answers it. Handing everything to one person creates a dependency.',
    },
  },
  {
    key: '5.4-07',
    competence: '5.4',
    level: 7,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Vous préparez le plan de formation numérique d’une direction. Quelle donnée cible le mieux les besoins ?',
      options: [
        'Les écarts agrégés entre niveaux requis et évalués',
        'La liste des formations les plus demandées l’an dernier',
        'Les résultats individuels nominatifs de chaque agent',
        'Le nombre d’ordinateurs portables de la direction',
      ],
      explanation:
        'Comparer les niveaux requis par chaque métier aux niveaux évalués montre où sont les écarts. Des résultats agrégés suffisent et protègent les personnes.',
    },
    en: {
      stem: 'You are preparing the digital training plan of a directorate. Which data best targets the needs?',
      options: [
        'Aggregated gaps between required and assessed levels',
        'The list of last year’s most requested courses',
        'Each agent’s individual results, with names',
        'The number of laptops in the directorate',
      ],
      explanation:
        'Comparing the levels each role requires with the assessed levels shows where the gaps are. Aggregated results are enough and protect individuals.',
    },
  },
] satisfies AuthoredItem[];
