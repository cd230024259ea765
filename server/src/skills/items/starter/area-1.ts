import type { AuthoredItem } from '../types.ts';

/**
 * Starter items for DigComp 2.2 area 1, « Information and data literacy » (competences 1.1–1.3),
 * written for public agents of France and Québec. Levels are intended levels; parameters come from
 * them until calibration. A fact that holds in one state only says which state, or gives both.
 */
export const AREA_1_ITEMS = [
  // 1.1 Browsing, searching and filtering data, information and digital content
  {
    key: '1.1-01',
    competence: '1.1',
    level: 1,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Vous lisez une longue page web et cherchez un mot précis. Quel raccourci clavier ouvre la recherche dans la page ?',
      options: ['Ctrl + F (Cmd + F sur Mac)', 'Ctrl + P (Cmd + P sur Mac)', 'Ctrl + S (Cmd + S sur Mac)', 'Ctrl + Z (Cmd + Z sur Mac)'],
      explanation: 'Ctrl + F (Cmd + F sur Mac) ouvre la recherche dans la page. Ctrl + P imprime, Ctrl + S enregistre et Ctrl + Z annule.',
    },
    en: {
      stem: 'You are reading a long web page and looking for one word. Which keyboard shortcut opens the search within the page?',
      options: ['Ctrl + F (Cmd + F on a Mac)', 'Ctrl + P (Cmd + P on a Mac)', 'Ctrl + S (Cmd + S on a Mac)', 'Ctrl + Z (Cmd + Z on a Mac)'],
      explanation: 'Ctrl + F (Cmd + F on a Mac) searches within the page. Ctrl + P prints, Ctrl + S saves and Ctrl + Z undoes.',
    },
  },
  {
    key: '1.1-02',
    competence: '1.1',
    level: 2,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Sur l’intranet, vous cherchez le formulaire de demande de congé. Le mot « formulaire » donne 2 000 résultats. Que faites-vous d’abord ?',
      options: [
        'Vous ouvrez les résultats un par un',
        'Vous ajoutez des mots précis, comme « congé »',
        'Vous remplacez le mot par « document »',
        'Vous abandonnez la recherche sur l’intranet',
      ],
      explanation: 'Des mots-clés plus précis réduisent le nombre de résultats et font remonter les plus pertinents. Un mot plus général, comme « document », en donnerait encore plus.',
    },
    en: {
      stem: 'On the intranet, you are looking for the leave request form. The word “form” gives 2,000 results. What do you do first?',
      options: [
        'You open the results one by one',
        'You add precise words, such as “leave”',
        'You replace the word with “document”',
        'You give up searching the intranet',
      ],
      explanation: 'More precise keywords reduce the number of results and bring the relevant ones to the top. A more general word, such as “document”, would give even more.',
    },
  },
  {
    key: '1.1-03',
    competence: '1.1',
    level: 3,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Vous cherchez des pages qui contiennent l’expression exacte droit à la déconnexion, avec les mots dans cet ordre. Que tapez-vous ?',
      options: ['"droit à la déconnexion"', 'droit + à + la + déconnexion', 'droit OR déconnexion', 'droit -déconnexion'],
      explanation: 'Des guillemets droits autour d’une expression demandent au moteur de recherche de la trouver telle quelle. OR cherche l’un ou l’autre mot et le signe moins exclut un mot.',
    },
    en: {
      stem: 'You are looking for pages that contain the exact phrase right to disconnect, with the words in that order. What do you type?',
      options: ['"right to disconnect"', 'right + to + disconnect', 'right OR disconnect', 'right -disconnect'],
      explanation: 'Straight quotation marks around a phrase ask the search engine to find it as written. OR looks for either word and the minus sign excludes a word.',
    },
  },
  {
    key: '1.1-04',
    competence: '1.1',
    level: 4,
    kind: 'short_answer',
    correct: [],
    fr: {
      stem: 'Quel opérateur, écrit juste avant un nom de domaine, limite les résultats d’un moteur de recherche à ce site ? (Exemple : ___quebec.ca)',
      accepted: ['site:', 'site'],
      explanation: 'L’opérateur site: (par exemple site:gouv.fr ou site:quebec.ca) ne garde que les pages de ce domaine. La plupart des moteurs de recherche le reconnaissent.',
    },
    en: {
      stem: 'Which operator, written just before a domain name, limits a search engine’s results to that site? (Example: ___quebec.ca)',
      accepted: ['site:', 'site'],
      explanation: 'The site: operator (for example site:gouv.fr or site:quebec.ca) keeps only the pages of that domain. Most search engines support it.',
    },
  },
  {
    key: '1.1-05',
    competence: '1.1',
    level: 3,
    kind: 'multiple',
    correct: [0, 1],
    fr: {
      stem: 'Vous devez lire le texte à jour d’une loi. Quels sites publics de référence consultez-vous ?',
      options: ['Légifrance, pour la France', 'LégisQuébec, pour le Québec', 'Wikipédia, l’encyclopédie en ligne', 'Le blog d’un cabinet d’avocats'],
      explanation: 'Légifrance (France) et LégisQuébec (Québec) sont publiés par l’État et donnent les textes consolidés, à jour. Une encyclopédie ou un blog peuvent aider à comprendre, mais pas remplacer le texte.',
    },
    frCA: {
      options: ['Légifrance, pour la France', 'LégisQuébec, pour le Québec', 'Wikipédia, l’encyclopédie en ligne', 'Le blogue d’un cabinet d’avocats'],
      explanation: 'Légifrance (France) et LégisQuébec (Québec) sont publiés par l’État et donnent les textes consolidés, à jour. Une encyclopédie ou un blogue peuvent aider à comprendre, mais pas remplacer le texte.',
    },
    en: {
      stem: 'You need to read the current text of a law. Which public reference sites do you consult?',
      options: ['Légifrance, for France', 'LégisQuébec, for Québec', 'Wikipedia, the online encyclopedia', 'A law firm’s blog'],
      explanation: 'Légifrance (France) and LégisQuébec (Québec) are published by the state and give consolidated, current texts. An encyclopedia or a blog can help understanding, but cannot replace the text.',
    },
  },
  {
    key: '1.1-06',
    competence: '1.1',
    level: 5,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Pendant six mois, vous devez suivre les nouveaux textes publiés sur un sujet. Quelle méthode est la plus efficace ?',
      options: [
        'Refaire la même recherche à la main chaque matin',
        'Garder la page d’accueil du site dans vos favoris',
        'S’abonner à une alerte ou à un flux RSS sur le sujet',
        'Compter sur un collègue pour vous prévenir',
      ],
      explanation: 'Une alerte ou un flux RSS vous signale chaque nouvelle publication sans effort ni oubli. Les autres méthodes dépendent de votre mémoire ou de celle d’un collègue.',
    },
    en: {
      stem: 'For six months, you must follow new texts published on a topic. Which method is the most effective?',
      options: [
        'Running the same search by hand every morning',
        'Keeping the site’s home page in your bookmarks',
        'Subscribing to an alert or an RSS feed on the topic',
        'Relying on a colleague to tell you',
      ],
      explanation: 'An alert or an RSS feed tells you about each new publication with no effort and nothing forgotten. The other methods depend on your memory or a colleague’s.',
    },
  },
  {
    key: '1.1-07',
    competence: '1.1',
    level: 7,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Vous menez une recherche documentaire pour une note qu’un autre service devra pouvoir vérifier et refaire. Quelle démarche adoptez-vous ?',
      options: [
        'Garder les trois premiers résultats d’un seul moteur',
        'Demander un résumé à un assistant d’IA, sans sources',
        'Utiliser toujours le même moteur, sans rien noter',
        'Noter requêtes, sources et dates, et croiser les bases',
      ],
      explanation: 'Les résultats d’un moteur changent avec le temps et selon l’utilisateur. Noter les requêtes, les sources et les dates, et croiser plusieurs bases (dont les bases spécialisées), rend la recherche vérifiable et reproductible.',
    },
    en: {
      stem: 'You are doing desk research for a note that another department must be able to check and repeat. Which approach do you take?',
      options: [
        'Keeping the top three results of a single engine',
        'Asking an AI assistant for a summary without sources',
        'Always using the same engine and noting nothing',
        'Noting queries, sources and dates, and cross-checking databases',
      ],
      explanation: 'A search engine’s results change over time and from one user to another. Noting queries, sources and dates, and cross-checking several databases (including specialised ones), makes the research verifiable and repeatable.',
    },
  },

  // 1.2 Evaluating data, information and digital content
  {
    key: '1.2-01',
    competence: '1.2',
    level: 1,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Vous trouvez sur un site une information utile pour votre travail. Que vérifiez-vous en premier ?',
      options: ['La couleur et la mise en page du site', 'La longueur du texte', 'Qui l’a écrite et à quelle date', 'La vitesse d’affichage de la page'],
      explanation: 'L’auteur et la date disent si la source est fiable et si l’information est encore à jour. L’apparence d’un site ne prouve rien sur son contenu.',
    },
    en: {
      stem: 'You find information on a website that is useful for your work. What do you check first?',
      options: ['The site’s colours and layout', 'The length of the text', 'Who wrote it and when', 'How fast the page loads'],
      explanation: 'The author and the date tell you whether the source is reliable and whether the information is still current. A site’s look proves nothing about its content.',
    },
  },
  {
    key: '1.2-02',
    competence: '1.2',
    level: 2,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Dans une page de résultats, les premiers liens portent la mention « Sponsorisé ». Qu’est-ce que cela veut dire ?',
      options: [
        'Ce sont des annonces payées par des annonceurs',
        'Ce sont des sources vérifiées par l’État',
        'Ce sont les pages que vos collègues lisent le plus',
        'Ce sont les pages les plus récentes sur le sujet',
      ],
      explanation: 'Un résultat « sponsorisé » est une publicité : sa place est achetée. Il n’est donc ni forcément le plus pertinent ni le plus fiable.',
    },
    frCA: {
      stem: 'Dans une page de résultats, les premiers liens portent la mention « Commandité ». Qu’est-ce que cela veut dire ?',
      explanation: 'Un résultat « commandité » est une publicité : sa place est achetée. Il n’est donc ni forcément le plus pertinent ni le plus fiable.',
    },
    en: {
      stem: 'On a results page, the first links are labelled “Sponsored”. What does that mean?',
      options: [
        'They are ads paid for by advertisers',
        'They are sources checked by the state',
        'They are the pages your colleagues read most',
        'They are the most recent pages on the topic',
      ],
      explanation: 'A “sponsored” result is an advertisement: its place is bought. It is therefore not necessarily the most relevant or the most reliable.',
    },
  },
  {
    key: '1.2-03',
    competence: '1.2',
    level: 3,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Laquelle de ces adresses mène vraiment au site de l’administration fiscale française ?',
      options: [
        'https://impots.gouv.fr.remboursement.com/accueil',
        'https://www.impots.gouv.fr/accueil',
        'https://www.impots-gouv-fr.com/accueil',
        'https://impots.gouv-fr.net/accueil',
      ],
      explanation: 'Le domaine est la partie entre « https:// » et la barre oblique suivante : seule impots.gouv.fr finit par gouv.fr, domaine réservé à l’État français. Dans la première adresse, le domaine est en réalité remboursement.com.',
    },
    en: {
      stem: 'Which of these addresses really leads to the French tax administration’s website?',
      options: [
        'https://impots.gouv.fr.remboursement.com/accueil',
        'https://www.impots.gouv.fr/accueil',
        'https://www.impots-gouv-fr.com/accueil',
        'https://impots.gouv-fr.net/accueil',
      ],
      explanation: 'The domain is the part between “https://” and the next slash: only impots.gouv.fr ends in gouv.fr, a domain reserved for the French state. In the first address, the domain is really remboursement.com.',
    },
  },
  {
    key: '1.2-04',
    competence: '1.2',
    level: 3,
    kind: 'true_false',
    correct: [0],
    fr: {
      stem: 'Un assistant d’IA générative peut citer un article de loi ou une référence qui n’existe pas.',
      explanation: 'Vrai. Ces outils produisent un texte plausible, pas une vérité vérifiée : ils peuvent inventer des références. Vérifiez toujours dans la source officielle.',
    },
    en: {
      stem: 'A generative AI assistant can cite a section of a law or a reference that does not exist.',
      explanation: 'True. These tools produce plausible text, not checked facts: they can invent references. Always check in the official source.',
    },
  },
  {
    key: '1.2-05',
    competence: '1.2',
    level: 4,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Un guide interne de 2019 cite un article de loi dont vous avez besoin. Que vérifiez-vous avant de l’appliquer ?',
      options: [
        'Que le guide a été rédigé par un service connu',
        'Que d’autres collègues appliquent déjà cet article',
        'Que l’article est cité dans plusieurs guides internes',
        'Que l’article est toujours en vigueur aujourd’hui',
      ],
      explanation: 'Une loi peut avoir été modifiée ou abrogée depuis 2019. La version en vigueur se lit sur Légifrance (France) ou LégisQuébec (Québec).',
    },
    en: {
      stem: 'An internal guide from 2019 cites a section of a law that you need. What do you check before applying it?',
      options: [
        'That the guide was written by a known department',
        'That other colleagues already apply this section',
        'That the section is cited in several internal guides',
        'That the section is still in force today',
      ],
      explanation: 'A law may have been amended or repealed since 2019. The version in force can be read on Légifrance (France) or LégisQuébec (Québec).',
    },
  },
  {
    key: '1.2-06',
    competence: '1.2',
    level: 5,
    kind: 'multiple',
    correct: [0, 1, 3],
    fr: {
      stem: 'Vous recevez sur un réseau social une « information » sur une nouvelle aide publique. Quels indices doivent vous faire douter ?',
      options: [
        'Aucune source ni date n’est indiquée',
        'Le message pousse à partager vite, « avant qu’il soit supprimé »',
        'L’aide figure aussi sur le site officiel de l’organisme',
        'Le ton est très émotif et alarmiste',
      ],
      explanation: 'Absence de source et de date, urgence à partager et ton alarmiste sont des signes classiques de fausse information. Trouver la même aide sur le site officiel de l’organisme est au contraire une confirmation.',
    },
    en: {
      stem: 'On a social network, you receive “news” about a new public benefit. Which signs should make you doubt it?',
      options: [
        'No source and no date are given',
        'The message urges you to share fast, “before it is deleted”',
        'The benefit is also on the agency’s official website',
        'The tone is very emotional and alarming',
      ],
      explanation: 'No source or date, urgency to share and an alarming tone are classic signs of false information. Finding it on the agency’s official website is, on the contrary, a confirmation.',
    },
  },
  {
    key: '1.2-07',
    competence: '1.2',
    level: 6,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Une photo présentée comme celle d’une inondation d’hier circule. Comment vérifier qu’elle ne date pas de plusieurs années ?',
      options: [
        'Regarder si la photo est nette et de bonne qualité',
        'Chercher l’image d’origine par recherche inversée',
        'Compter le nombre de fois qu’elle a été partagée',
        'Vérifier que la légende donne un lieu précis',
      ],
      explanation: 'Une recherche d’image inversée (le moteur cherche où la même photo a déjà été publiée) retrouve ses publications antérieures, donc sa date réelle. La qualité, le nombre de partages ou une légende précise ne prouvent pas la date.',
    },
    en: {
      stem: 'A photo presented as yesterday’s flood is going around. How do you check that it is not several years old?',
      options: [
        'Looking at whether the photo is sharp and of good quality',
        'Running a reverse image search for its origin',
        'Counting how many times it has been shared',
        'Checking that the caption gives a precise place',
      ],
      explanation: 'A reverse image search (the engine looks for where the same photo was published before) finds its earlier publications, and so its real date. Quality, number of shares or a precise caption do not prove the date.',
    },
  },
  {
    key: '1.2-08',
    competence: '1.2',
    level: 7,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Un rapport affirme que « 80 % des usagers préfèrent les démarches en ligne », d’après un sondage fait en ligne. Quelle question compte le plus pour juger ce chiffre ?',
      options: [
        'Le chiffre est-il facile à retenir ?',
        'Le rapport contient-il des graphiques clairs ?',
        'Qui a été interrogé, combien, et comment ?',
        'La presse a-t-elle repris ce chiffre ?',
      ],
      explanation: 'Un sondage fait en ligne n’interroge que des personnes déjà à l’aise en ligne : l’échantillon est biaisé. Qui a répondu, combien et comment ils ont été choisis décident de la valeur du chiffre.',
    },
    en: {
      stem: 'A report states that “80% of users prefer online services”, based on a survey run online. Which question matters most to judge this figure?',
      options: [
        'Is the figure easy to remember?',
        'Does the report contain clear charts?',
        'Who was asked, how many, and how?',
        'Has the press repeated the figure?',
      ],
      explanation: 'A survey run online only reaches people who are already comfortable online: the sample is biased. Who answered, how many and how they were chosen decide what the figure is worth.',
    },
  },

  // 1.3 Managing data, information and digital content
  {
    key: '1.3-01',
    competence: '1.3',
    level: 1,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Où enregistrez-vous un document de travail pour qu’il soit sauvegardé et que votre équipe y ait accès ?',
      options: [
        'Dans l’espace partagé de l’équipe',
        'Sur le bureau de votre ordinateur',
        'Sur une clé USB personnelle',
        'Dans votre dossier Téléchargements',
      ],
      explanation: 'L’espace partagé de l’équipe est sauvegardé par votre organisation et accessible aux collègues autorisés. Un fichier sur votre poste ou une clé USB peut être perdu et reste invisible pour l’équipe.',
    },
    en: {
      stem: 'Where do you save a work document so that it is backed up and your team can reach it?',
      options: [
        'In the team’s shared space',
        'On your computer’s desktop',
        'On a personal USB stick',
        'In your Downloads folder',
      ],
      explanation: 'The team’s shared space is backed up by your organisation and open to authorised colleagues. A file on your computer or a USB stick can be lost and stays invisible to the team.',
    },
  },
  {
    key: '1.3-02',
    competence: '1.3',
    level: 2,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Quel nom de fichier permet le mieux de retrouver un compte rendu et de savoir de quoi il s’agit ?',
      options: [
        'compte rendu FINAL final (2).odt',
        'doc1.odt',
        'CR réunion de jeudi.odt',
        '2026-03-05_CR_comite-pilotage_v02.odt',
      ],
      explanation: 'Ce nom donne la date (qui trie les fichiers dans l’ordre), le type de document, le sujet et la version, sans espaces ni caractères spéciaux. « Jeudi » ou « FINAL (2) » deviennent vite ambigus.',
    },
    en: {
      stem: 'Which file name best helps you find a meeting record and know what it is about?',
      options: [
        'minutes FINAL final (2).odt',
        'doc1.odt',
        'minutes Thursday meeting.odt',
        '2026-03-05_minutes_steering-committee_v02.odt',
      ],
      explanation: 'This name gives the date (which sorts files in order), the type of document, the subject and the version, with no spaces or special characters. “Thursday” or “FINAL (2)” soon become ambiguous.',
    },
  },
  {
    key: '1.3-03',
    competence: '1.3',
    level: 3,
    kind: 'short_answer',
    correct: [],
    fr: {
      stem: 'Pour que des fichiers se trient dans l’ordre chronologique, on met au début de leur nom la date au format AAAA-MM-JJ. Comment écrivez-vous le 5 mars 2026 ?',
      accepted: ['2026-03-05', '2026_03_05', '20260305'],
      explanation: '2026-03-05 : l’année, puis le mois et le jour sur deux chiffres (format ISO 8601). Ainsi, l’ordre alphabétique des noms est aussi l’ordre des dates.',
    },
    en: {
      stem: 'So that files sort in date order, the date goes at the start of their name in the format YYYY-MM-DD. How do you write 5 March 2026?',
      accepted: ['2026-03-05', '2026_03_05', '20260305'],
      explanation: '2026-03-05: the year, then the month and the day on two digits (ISO 8601 format). That way, the alphabetical order of the names is also the order of the dates.',
    },
  },
  {
    key: '1.3-04',
    competence: '1.3',
    level: 4,
    kind: 'short_answer',
    correct: [],
    fr: {
      stem: 'Quelle est l’extension des documents texte au format ouvert OpenDocument, celui de LibreOffice Writer ? (Trois lettres)',
      accepted: ['odt', '.odt'],
      explanation: '.odt (OpenDocument Text) est un format ouvert et normalisé (ISO/IEC 26300) : tout logiciel peut le lire et l’écrire. Ses équivalents sont .ods pour les tableurs et .odp pour les présentations.',
    },
    en: {
      stem: 'What is the extension of text documents in the open OpenDocument format, the one LibreOffice Writer uses? (Three letters)',
      accepted: ['odt', '.odt'],
      explanation: '.odt (OpenDocument Text) is an open, standardised format (ISO/IEC 26300): any software may read and write it. Its siblings are .ods for spreadsheets and .odp for presentations.',
    },
  },
  {
    key: '1.3-05',
    competence: '1.3',
    level: 4,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Votre service publie un tableau de chiffres que d’autres services et des logiciels doivent pouvoir réutiliser. Quel format choisissez-vous ?',
      options: ['Un document PDF', 'Un fichier CSV', 'Une image PNG', 'Une présentation'],
      explanation: 'Le CSV est un format ouvert, lisible par tous les tableurs et les programmes. Un PDF, une image ou une présentation obligent à recopier les chiffres à la main.',
    },
    en: {
      stem: 'Your department publishes a table of figures that other departments and software must be able to reuse. Which format do you choose?',
      options: ['A PDF document', 'A CSV file', 'A PNG image', 'A slide deck'],
      explanation: 'CSV is an open format that every spreadsheet and program can read. A PDF, an image or a slide deck force people to copy the figures by hand.',
    },
  },
  {
    key: '1.3-06',
    competence: '1.3',
    level: 5,
    kind: 'short_answer',
    correct: [],
    fr: {
      stem: 'Selon la règle de sauvegarde « 3-2-1 », combien de copies de vos données faut-il garder au total ? (Un nombre)',
      accepted: ['3', 'trois'],
      explanation: 'Trois copies (l’original et deux sauvegardes), sur deux supports différents, dont une hors du site. Une seule panne, un vol ou un sinistre ne peut alors pas tout effacer.',
    },
    en: {
      stem: 'Under the “3-2-1” backup rule, how many copies of your data should you keep in total? (A number)',
      accepted: ['3', 'three'],
      explanation: 'Three copies (the original and two backups), on two different media, one of them off site. A single failure, theft or disaster then cannot wipe everything out.',
    },
  },
  {
    key: '1.3-07',
    competence: '1.3',
    level: 5,
    kind: 'multiple',
    correct: [0, 2, 4],
    fr: {
      stem: 'Vous préparez un tableau que vos collègues vont trier et filtrer dans un tableur. Quelles pratiques les aident ?',
      options: [
        'Une seule ligne d’en-têtes, une colonne par information',
        'Des cellules fusionnées pour regrouper des lignes',
        'Les dates écrites partout dans le même format',
        'Une couleur de cellule comme seule indication d’un statut',
        'Aucune ligne vide au milieu des données',
      ],
      explanation: 'Des en-têtes uniques, un format de date constant et des données sans ligne vide se trient et se filtrent sans erreur. Les cellules fusionnées cassent le tri et une couleur seule ne se filtre pas bien et échappe aux personnes qui ne la voient pas.',
    },
    en: {
      stem: 'You are preparing a table that colleagues will sort and filter in a spreadsheet. Which practices help them?',
      options: [
        'A single header row, one column per piece of information',
        'Merged cells to group rows together',
        'Dates written in the same format throughout',
        'A cell colour as the only sign of a status',
        'No empty row in the middle of the data',
      ],
      explanation: 'Single headers, one date format and data with no empty rows sort and filter without errors. Merged cells break sorting, and a colour alone filters poorly and is missed by people who cannot see it.',
    },
  },
  {
    key: '1.3-08',
    competence: '1.3',
    level: 7,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'L’espace partagé de votre service contient des milliers de fichiers anciens. Sur quoi vous appuyez-vous pour décider de ce qui peut être détruit ?',
      options: [
        'Sur la place restante dans l’espace partagé',
        'Sur l’avis de chaque agent pour ses propres fichiers',
        'Sur les règles de conservation de l’organisme',
        'Sur la date de dernière ouverture de chaque fichier',
      ],
      explanation: 'Les documents publics suivent des durées de conservation fixées par les règles d’archivage : tableau de gestion en France, calendrier de conservation au Québec. Certains doivent être versés aux archives, pas détruits.',
    },
    frCA: {
      explanation: 'Les documents publics suivent des durées de conservation fixées par les règles d’archivage : calendrier de conservation au Québec, tableau de gestion en France. Certains doivent être versés aux archives, pas détruits.',
    },
    en: {
      stem: 'Your department’s shared space holds thousands of old files. What do you rely on to decide what may be destroyed?',
      options: [
        'The space left in the shared space',
        'Each agent’s opinion on their own files',
        'The organisation’s retention rules',
        'The date each file was last opened',
      ],
      explanation: 'Public records follow retention periods set by the archiving rules: a records schedule (tableau de gestion) in France, a retention schedule (calendrier de conservation) in Québec. Some must be transferred to the archives, not destroyed.',
    },
  },
] satisfies AuthoredItem[];
