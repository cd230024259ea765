/**
 * Messages of the web interface (`ui.*`).
 *
 * Conventions (the same for every namespace file of the catalog):
 * - flat keys `ui.<area>.<element>`, lowerCamelCase segments, e.g. `ui.a11y.status.heading`;
 * - ICU MessageFormat: `{name}`, `{count, plural, one {…} other {…}}`, `{date, date, long}`;
 * - French typography: ’ (U+2019) for apostrophes, since the ASCII ' is ICU’s quote character,
 *   and no-break spaces before « : ; ? ! » and inside « guillemets »;
 * - fr-FR and en hold every key; fr-CA only overrides where Québec usage differs (courriel,
 *   témoin, renseignements personnels…) and falls back to fr-FR for the rest.
 */
const frFR = {
  'ui.app.name': 'Entente',
  'ui.app.tagline': 'L’espace de travail numérique souverain des administrations de la France et du Québec',
  'ui.title.template': '{page} — Entente',
  'ui.common.backHome': 'Retour à l’accueil',

  'ui.shell.skipLink': 'Aller au contenu',
  'ui.nav.label': 'Menu principal',
  'ui.nav.home': 'Accueil',
  'ui.lang.label': 'Langue',
  'ui.lang.name.fr-FR': 'Français (France)',
  'ui.lang.name.fr-CA': 'Français (Québec)',
  'ui.lang.name.en': 'English',
  'ui.session.label': 'Session',
  'ui.session.loading': 'Vérification de la session…',
  'ui.session.signedIn': 'Session ouverte : {name}',
  'ui.session.signedOut': 'Aucune session ouverte.',
  'ui.session.comingSoon': 'La connexion arrive bientôt.',

  'ui.footer.label': 'Informations sur le site',
  'ui.footer.accessibility': 'Accessibilité : non conforme',
  'ui.footer.legal': 'Mentions légales et données personnelles',
  'ui.footer.api': 'Référence de l’API',
  'ui.footer.about':
    'Entente est un logiciel libre sous licence MIT, exploité par les directions du numérique de la France et du Québec.',

  'ui.home.title': 'Accueil',
  'ui.home.heading': 'Bienvenue sur Entente',
  'ui.home.lead':
    'Entente réunit les agents publics de la France et du Québec dans un même espace de travail numérique, pour coopérer en toute souveraineté : données hébergées dans chaque juridiction, logiciels libres, aucun traceur.',
  'ui.home.origin':
    'Entente met en œuvre les cinq domaines de la déclaration d’intention franco-québécoise sur la souveraineté numérique, signée à Paris le 31 mars 2026.',
  'ui.home.domains.heading': 'Les cinq domaines',
  'ui.home.values.heading': 'Nos engagements',
  'ui.home.values.useful': 'Utile : conçu avec et pour les agents publics des deux États.',
  'ui.home.values.accessible':
    'Accessible : vise le RGAA 4.1 et les WCAG 2.1 de niveau AA, en français et en anglais.',
  'ui.home.values.secure':
    'Sûr par défaut : journal d’audit infalsifiable, clés de chiffrement propres à chaque organisation.',
  'ui.home.values.sovereign':
    'Souverain : chaque État garde ses données chez lui et peut tout exporter dans des formats ouverts.',
  'ui.home.values.french': 'Respectueux de la langue française : le français d’abord, de France et du Québec.',

  'ui.area.position': 'Domaine {index} sur {total}',
  'ui.area.status': 'En construction',
  'ui.area.intro':
    'Ce domaine est en cours de construction : il n’est pas encore disponible dans cette version d’Entente. Voici ce qu’il offrira.',
  'ui.area.offersHeading': 'Ce qu’il offrira',

  'ui.domain.collaboration.title': 'Outils collaboratifs souverains',
  'ui.domain.collaboration.short': 'Collaboration',
  'ui.domain.collaboration.summary':
    'Des espaces partagés entre organisations des deux États et des documents coédités en temps réel.',
  'ui.domain.collaboration.offer1':
    'Des espaces de travail partagés entre ministères, organismes et collectivités des deux États, chacun rattaché à une juridiction.',
  'ui.domain.collaboration.offer2': 'Des documents coédités en temps réel, avec commentaires, versions et historique.',
  'ui.domain.collaboration.offer3':
    'Des fichiers, une recherche en français dans tous vos espaces et un partage maîtrisé.',
  'ui.domain.collaboration.offer4': 'Le travail hors ligne, synchronisé au retour de la connexion.',

  'ui.domain.identity.title': 'Identité numérique et interopérabilité',
  'ui.domain.identity.short': 'Identité',
  'ui.domain.identity.summary':
    'Un hub de fédération d’identité, un fournisseur OpenID et des attestations vérifiables d’un État à l’autre.',
  'ui.domain.identity.offer1':
    'La connexion avec la fédération d’identité de votre État : ProConnect en France, le service québécois d’authentification gouvernementale au Québec.',
  'ui.domain.identity.offer2':
    'La correspondance des attributs et des niveaux de garantie entre les deux États.',
  'ui.domain.identity.offer3': 'Entente comme fournisseur OpenID pour d’autres services publics partagés.',
  'ui.domain.identity.offer4':
    'Des attestations vérifiables (SD-JWT VC) émises par un État et vérifiées par l’autre.',

  'ui.domain.ai.title': 'Intelligence artificielle responsable',
  'ui.domain.ai.short': 'IA responsable',
  'ui.domain.ai.summary':
    'Une passerelle d’IA souveraine devant des modèles auto-hébergés et un assistant qui cite ses sources.',
  'ui.domain.ai.offer1':
    'Une passerelle d’IA souveraine, compatible avec l’API d’OpenAI, devant des modèles auto-hébergés.',
  'ui.domain.ai.offer2':
    'Des règles de classification et de résidence des données, et la pseudonymisation des données personnelles.',
  'ui.domain.ai.offer3': 'Des quotas et le suivi de l’usage et de l’empreinte environnementale.',
  'ui.domain.ai.offer4':
    'Un assistant sur vos propres documents, qui cite ses sources et signale chaque contenu produit par l’IA.',

  'ui.domain.infrastructure.title': 'Infrastructure d’autonomie stratégique',
  'ui.domain.infrastructure.short': 'Infrastructure',
  'ui.domain.infrastructure.summary':
    'Des cellules de données par juridiction, des clés par organisation, un audit infalsifiable et l’export complet.',
  'ui.domain.infrastructure.offer1':
    'Des cellules de données par juridiction : base de données, stockage et clés en France pour la France, au Québec pour le Québec.',
  'ui.domain.infrastructure.offer2': 'Des clés de chiffrement propres à chaque organisation.',
  'ui.domain.infrastructure.offer3': 'Un journal d’audit infalsifiable, vérifiable à tout moment.',
  'ui.domain.infrastructure.offer4':
    'L’export complet dans des formats ouverts, sur des composants libres que chaque État peut exploiter lui-même.',

  'ui.domain.skills.title': 'Compétences numériques des agents',
  'ui.domain.skills.short': 'Compétences',
  'ui.domain.skills.summary':
    'Le référentiel DigComp, une évaluation adaptative et des certificats reconnus par les deux États.',
  'ui.domain.skills.offer1':
    'Un référentiel de compétences fondé sur DigComp 2.2, mis en correspondance avec le CRCN (Pix) et le cadre de référence québécois de la compétence numérique.',
  'ui.domain.skills.offer2': 'Une évaluation adaptative, plus courte et plus précise.',
  'ui.domain.skills.offer3':
    'Des parcours d’apprentissage et des tableaux de bord pour les gestionnaires et les formateurs.',
  'ui.domain.skills.offer4': 'Des certificats que les deux États peuvent vérifier.',

  'ui.a11y.title': 'Déclaration d’accessibilité',
  'ui.a11y.intro':
    'Les directions du numérique de la France et du Québec s’engagent à rendre Entente accessible, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005.',
  'ui.a11y.scope': 'Cette déclaration d’accessibilité s’applique à l’interface web d’Entente.',
  'ui.a11y.status.heading': 'État de conformité',
  'ui.a11y.status.body':
    'Entente est non conforme avec le RGAA 4.1 (référentiel général d’amélioration de l’accessibilité, qui reprend les critères des WCAG 2.1 de niveau AA) : aucun audit de conformité n’a encore été réalisé.',
  'ui.a11y.status.meaning':
    'Cet état dit honnêtement ce qui est vérifié à ce jour ; il ne signifie pas que le service est inutilisable.',
  'ui.a11y.tests.heading': 'Ce qui a été vérifié',
  'ui.a11y.tests.intro': 'En attendant un audit, chaque modification d’Entente est contrôlée automatiquement :',
  'ui.a11y.tests.axe':
    'vérifications automatiques avec axe-core de chaque page, dans les trois langues (français de France, français du Québec, anglais), sans aucune anomalie tolérée ;',
  'ui.a11y.tests.keyboard':
    'utilisation au clavier : lien d’évitement vers le contenu, sélecteur de langue, ordre de tabulation et focus visible ;',
  'ui.a11y.tests.language': 'langue de la page déclarée et mise à jour quand vous changez de langue.',
  'ui.a11y.tests.limits':
    'Les tests automatiques ne détectent qu’une partie des défauts possibles : ils ne remplacent ni un audit, ni des tests avec des personnes en situation de handicap.',
  'ui.a11y.nonAccessible.heading': 'Contenus non accessibles',
  'ui.a11y.nonAccessible.body':
    'Faute d’audit, les contenus non conformes ne sont pas encore recensés. Les domaines en construction seront vérifiés à mesure de leur mise en service.',
  'ui.a11y.establishment.heading': 'Établissement de cette déclaration',
  'ui.a11y.establishment.date': 'Cette déclaration a été établie le {date, date, long}.',
  'ui.a11y.establishment.tech': 'Technologies utilisées : HTML, CSS, JavaScript, WAI-ARIA.',
  'ui.a11y.establishment.tools': 'Environnement de test : navigateur Chromium, outil axe-core, navigation au clavier.',
  'ui.a11y.contact.heading': 'Retour d’information et contact',
  'ui.a11y.contact.body':
    'Si vous n’arrivez pas à accéder à un contenu ou à un service, contactez la direction du numérique qui exploite Entente pour votre administration : elle vous orientera vers une solution accessible ou vous transmettra le contenu sous une autre forme.',
  'ui.a11y.contact.fr': 'En France : la direction interministérielle du numérique (DINUM).',
  'ui.a11y.contact.qc': 'Au Québec : le ministère de la Cybersécurité et du Numérique.',
  'ui.a11y.recourse.heading': 'Voies de recours',
  'ui.a11y.recourse.intro':
    'Si vous avez signalé un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à un service et que vous n’avez pas obtenu de réponse satisfaisante, vous pouvez :',
  'ui.a11y.recourse.form': 'écrire un message au Défenseur des droits',
  'ui.a11y.recourse.delegate': 'contacter le délégué du Défenseur des droits dans votre région',
  'ui.a11y.recourse.post':
    'envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.',
  'ui.a11y.recourse.qc':
    'Au Québec, l’Office des personnes handicapées du Québec informe et accompagne les personnes handicapées dans leurs démarches auprès des organismes publics.',

  'ui.legal.title': 'Mentions légales et données personnelles',
  'ui.legal.publisher.heading': 'Éditeur',
  'ui.legal.publisher.body':
    'Entente est exploitée dans chaque État par sa direction du numérique : en France, la direction interministérielle du numérique (DINUM) ; au Québec, le ministère de la Cybersécurité et du Numérique. Chacune est responsable de la publication pour son instance.',
  'ui.legal.hosting.heading': 'Hébergement',
  'ui.legal.hosting.body':
    'Les données de chaque juridiction sont hébergées dans cette juridiction : en France pour la cellule française, au Québec pour la cellule québécoise. L’hébergeur de chaque cellule est désigné par la direction du numérique qui l’exploite.',
  'ui.legal.data.heading': 'Données personnelles',
  'ui.legal.data.intro': 'Entente ne conserve que ce qui est nécessaire au service :',
  'ui.legal.data.identity':
    'votre identité professionnelle, transmise par la fédération d’identité de votre État (nom, adresse électronique professionnelle, organisation) ;',
  'ui.legal.data.sessions': 'vos sessions de connexion ;',
  'ui.legal.data.content': 'les contenus que vous créez ou partagez (documents, commentaires, fichiers) ;',
  'ui.legal.data.skills': 'vos résultats d’évaluation des compétences numériques, si vous en passez.',
  'ui.legal.data.cell':
    'Vos données personnelles sont conservées dans la cellule de votre juridiction d’origine : en France pour les agents des administrations françaises, au Québec pour ceux des administrations québécoises. L’autre cellule ne conserve qu’un identifiant pseudonyme : votre nom y est affiché sans y être copié.',
  'ui.legal.data.purpose':
    'Ces données servent uniquement à fournir le service, dans le cadre de la mission de service public des administrations qui l’exploitent. Elles ne sont ni vendues ni utilisées à des fins publicitaires.',
  'ui.legal.rights.heading': 'Vos droits',
  'ui.legal.rights.gdpr':
    'En France, le règlement général sur la protection des données (RGPD) vous donne un droit d’accès, de rectification, d’effacement, de limitation et d’opposition. Exercez-le auprès du délégué à la protection des données de votre administration ; vous pouvez aussi adresser une réclamation à la CNIL.',
  'ui.legal.rights.law25':
    'Au Québec, la Loi 25 (Loi modernisant des dispositions législatives en matière de protection des renseignements personnels) vous donne notamment un droit d’accès et de rectification. Exercez-le auprès du responsable de la protection des renseignements personnels de votre organisme ; vous pouvez aussi porter plainte auprès de la Commission d’accès à l’information du Québec.',
  'ui.legal.cookies.heading': 'Cookies et traceurs',
  'ui.legal.cookies.intro':
    'Entente n’utilise aucun traceur tiers ni outil de mesure d’audience. Elle ne dépose que deux cookies, strictement nécessaires :',
  'ui.legal.cookies.session': 'un cookie de session, qui maintient votre connexion pendant votre visite ;',
  'ui.legal.cookies.lang':
    'le cookie « entente_lang », qui retient pendant un an la langue que vous avez choisie (elle est aussi gardée dans le stockage local de votre navigateur).',
  'ui.legal.cookies.consent':
    'Ces cookies sont indispensables au service ou demandés par vous : ils ne nécessitent pas de consentement.',

  'ui.notFound.title': 'Page introuvable',
  'ui.notFound.code': 'Erreur 404',
  'ui.notFound.body':
    'La page que vous cherchez n’existe pas ou a été déplacée. Vérifiez l’adresse ou repartez de l’accueil.',
  'ui.demoIdp.title.fr': 'Fournisseur d’identité de démo (France)',
  'ui.demoIdp.title.qc': 'Fournisseur d’identité de démo (Québec)',
  'ui.demoIdp.notice.fr':
    'Ceci est un fournisseur d’identité de démo intégré à Entente : ce n’est pas ProConnect. Il imite son comportement pour les essais ; aucun mot de passe n’est demandé et aucune donnée réelle ne doit y être saisie.',
  'ui.demoIdp.notice.qc':
    'Ceci est un fournisseur d’identité de démo intégré à Entente : ce n’est pas le service d’authentification gouvernementale du Québec. Il imite son comportement pour les essais ; aucun mot de passe n’est demandé et aucune donnée réelle ne doit y être saisie.',
  'ui.demoIdp.client': 'Le service « {client} » demande à vous identifier.',
  'ui.demoIdp.agents.legend': 'Agent de démo',
  'ui.demoIdp.agent.email': 'Adresse électronique : {email}',
  'ui.demoIdp.secondFactor.label': 'Valider avec un second facteur (simulé)',
  'ui.demoIdp.secondFactor.hint': 'Niveau de garantie obtenu : {withFactor} avec le second facteur, {withoutFactor} sans.',
  'ui.demoIdp.secondFactor.required':
    'Le service demande un niveau de garantie qui exige le second facteur : sans lui, la connexion sera refusée.',
  'ui.demoIdp.submit': 'Se connecter',
  'ui.demoIdp.cancel': 'Annuler',
  'ui.demoIdp.error.title': 'Connexion de démo impossible',
  'ui.demoIdp.error.unknownAgent':
    'Cet agent de démo n’existe pas. Retournez au service et recommencez la connexion en choisissant un agent de la liste.',
  'ui.demoIdp.error.interaction':
    'Cette demande de connexion a expiré ou est introuvable. Retournez au service et recommencez la connexion.',
  'ui.demoIdp.error.protocol': 'La demande du service a été refusée par le fournisseur de démo (code : {code}).',
  'ui.demoIdp.error.server': 'Une erreur inattendue est survenue. Réessayez dans quelques instants.',
  'ui.demoIdp.error.detail': 'Détail technique (en anglais) :',
  'ui.demoIdp.logout.title': 'Déconnexion du fournisseur de démo',
  'ui.demoIdp.logout.question': 'Voulez-vous vous déconnecter du fournisseur d’identité de démo ?',
  'ui.demoIdp.logout.yes': 'Oui, me déconnecter',
  'ui.demoIdp.logout.no': 'Non, rester connecté',
  'ui.demoIdp.logout.done': 'Vous êtes déconnecté du fournisseur d’identité de démo.',
} satisfies Record<string, string>;

export type UiKey = keyof typeof frFR;

/** Québec French: only where usage differs from France’s. */
const frCA: Partial<Record<UiKey, string>> = {
  'ui.a11y.intro':
    'Les directions du numérique de la France et du Québec s’engagent à rendre Entente accessible, conformément à l’article 47 de la loi française n° 2005-102 du 11 février 2005 et au Standard sur l’accessibilité des sites Web (SGQRI 008) du gouvernement du Québec.',
  'ui.a11y.status.body':
    'Entente est non conforme avec le RGAA 4.1 (référentiel général d’amélioration de l’accessibilité, qui reprend les critères des WCAG 2.1 de niveau AA) et n’a pas encore été évaluée selon le standard québécois SGQRI 008 : aucun audit de conformité n’a encore été réalisé.',
  'ui.legal.title': 'Avis légal et protection des renseignements personnels',
  'ui.footer.legal': 'Avis légal et renseignements personnels',
  'ui.legal.data.heading': 'Renseignements personnels',
  'ui.legal.data.identity':
    'votre identité professionnelle, transmise par la fédération d’identité de votre État (nom, adresse courriel professionnelle, organisation) ;',
  'ui.legal.data.cell':
    'Vos renseignements personnels sont conservés dans la cellule de votre juridiction d’origine : en France pour les agents des administrations françaises, au Québec pour ceux des administrations québécoises. L’autre cellule ne conserve qu’un identifiant pseudonyme : votre nom y est affiché sans y être copié.',
  'ui.legal.cookies.heading': 'Témoins et traceurs',
  'ui.legal.cookies.intro':
    'Entente n’utilise aucun traceur tiers ni outil de mesure d’audience. Elle ne dépose que deux témoins (cookies), strictement nécessaires :',
  'ui.legal.cookies.session': 'un témoin de session, qui maintient votre connexion pendant votre visite ;',
  'ui.legal.cookies.lang':
    'le témoin « entente_lang », qui retient pendant un an la langue que vous avez choisie (elle est aussi gardée dans le stockage local de votre navigateur).',
  'ui.legal.cookies.consent':
    'Ces témoins sont indispensables au service ou demandés par vous : ils ne nécessitent pas de consentement.',
  'ui.demoIdp.agent.email': 'Courriel : {email}',
};

const en: Record<UiKey, string> = {
  'ui.app.name': 'Entente',
  'ui.app.tagline': 'The sovereign digital workplace of the public administrations of France and Québec',
  'ui.title.template': '{page} — Entente',
  'ui.common.backHome': 'Back to the home page',

  'ui.shell.skipLink': 'Skip to content',
  'ui.nav.label': 'Main menu',
  'ui.nav.home': 'Home',
  'ui.lang.label': 'Language',
  'ui.lang.name.fr-FR': 'Français (France)',
  'ui.lang.name.fr-CA': 'Français (Québec)',
  'ui.lang.name.en': 'English',
  'ui.session.label': 'Session',
  'ui.session.loading': 'Checking your session…',
  'ui.session.signedIn': 'Signed in: {name}',
  'ui.session.signedOut': 'Not signed in.',
  'ui.session.comingSoon': 'Sign-in is coming soon.',

  'ui.footer.label': 'About this site',
  'ui.footer.accessibility': 'Accessibility: not compliant',
  'ui.footer.legal': 'Legal notice and personal data',
  'ui.footer.api': 'API reference',
  'ui.footer.about':
    'Entente is free software under the MIT licence, operated by the digital directorates of France and Québec.',

  'ui.home.title': 'Home',
  'ui.home.heading': 'Welcome to Entente',
  'ui.home.lead':
    'Entente brings the public servants of France and Québec together in one digital workplace, to cooperate with full sovereignty: data hosted in each jurisdiction, free software, no trackers.',
  'ui.home.origin':
    'Entente implements the five domains of the France–Québec declaration of intent on digital sovereignty, signed in Paris on March 31, 2026.',
  'ui.home.domains.heading': 'The five domains',
  'ui.home.values.heading': 'Our commitments',
  'ui.home.values.useful': 'Useful: designed with and for the public servants of both states.',
  'ui.home.values.accessible': 'Accessible: aims at RGAA 4.1 and WCAG 2.1 level AA, in French and in English.',
  'ui.home.values.secure': 'Secure by default: a tamper-evident audit log, encryption keys for each organisation.',
  'ui.home.values.sovereign':
    'Sovereign: each state keeps its data at home and can export everything in open formats.',
  'ui.home.values.french': 'Respectful of the French language: French first, from France and from Québec.',

  'ui.area.position': 'Domain {index} of {total}',
  'ui.area.status': 'Being built',
  'ui.area.intro':
    'This domain is being built: it is not available yet in this version of Entente. Here is what it will offer.',
  'ui.area.offersHeading': 'What it will offer',

  'ui.domain.collaboration.title': 'Sovereign collaborative tools',
  'ui.domain.collaboration.short': 'Collaboration',
  'ui.domain.collaboration.summary':
    'Spaces shared between organisations of both states, and documents co-edited in real time.',
  'ui.domain.collaboration.offer1':
    'Workspaces shared between ministries, agencies and local governments of both states, each one attached to a jurisdiction.',
  'ui.domain.collaboration.offer2': 'Documents co-edited in real time, with comments, versions and history.',
  'ui.domain.collaboration.offer3': 'Files, search in French across all your spaces, and controlled sharing.',
  'ui.domain.collaboration.offer4': 'Offline work, synchronised when the connection comes back.',

  'ui.domain.identity.title': 'Digital identity and interoperability',
  'ui.domain.identity.short': 'Identity',
  'ui.domain.identity.summary':
    'An identity federation hub, an OpenID provider and attestations verifiable from one state to the other.',
  'ui.domain.identity.offer1':
    'Sign-in with your own state’s identity federation: ProConnect in France, the Québec government authentication service in Québec.',
  'ui.domain.identity.offer2': 'Claims and levels of assurance mapped between the two states.',
  'ui.domain.identity.offer3': 'Entente as an OpenID provider for other shared public services.',
  'ui.domain.identity.offer4': 'Verifiable attestations (SD-JWT VC) that one state issues and the other verifies.',

  'ui.domain.ai.title': 'Responsible artificial intelligence',
  'ui.domain.ai.short': 'Responsible AI',
  'ui.domain.ai.summary': 'A sovereign AI gateway in front of self-hosted models, and an assistant that cites its sources.',
  'ui.domain.ai.offer1': 'A sovereign AI gateway, compatible with the OpenAI API, in front of self-hosted models.',
  'ui.domain.ai.offer2': 'Data classification and residency rules, and pseudonymisation of personal data.',
  'ui.domain.ai.offer3': 'Quotas, and accounting of usage and environmental footprint.',
  'ui.domain.ai.offer4':
    'An assistant over your own documents, which cites its sources and labels every AI-generated output.',

  'ui.domain.infrastructure.title': 'Strategic autonomy infrastructure',
  'ui.domain.infrastructure.short': 'Infrastructure',
  'ui.domain.infrastructure.summary':
    'Data cells per jurisdiction, keys per organisation, a tamper-evident audit and full export.',
  'ui.domain.infrastructure.offer1':
    'Data cells per jurisdiction: database, storage and keys in France for France, in Québec for Québec.',
  'ui.domain.infrastructure.offer2': 'Encryption keys of its own for each organisation.',
  'ui.domain.infrastructure.offer3': 'A tamper-evident audit log, verifiable at any time.',
  'ui.domain.infrastructure.offer4':
    'Full export in open formats, on open components that any state can operate by itself.',

  'ui.domain.skills.title': 'Digital skills of public servants',
  'ui.domain.skills.short': 'Skills',
  'ui.domain.skills.summary':
    'The DigComp framework, adaptive assessment and certificates recognised by both states.',
  'ui.domain.skills.offer1':
    'A competency framework based on DigComp 2.2, mapped to France’s CRCN (Pix) and to Québec’s digital competency framework.',
  'ui.domain.skills.offer2': 'Adaptive assessment, shorter and more precise.',
  'ui.domain.skills.offer3': 'Learning paths, and dashboards for managers and trainers.',
  'ui.domain.skills.offer4': 'Certificates that both states can verify.',

  'ui.a11y.title': 'Accessibility statement',
  'ui.a11y.intro':
    'The digital directorates of France and Québec are committed to making Entente accessible, in accordance with article 47 of French law no. 2005-102 of 11 February 2005 and with the Québec government’s web accessibility standard (SGQRI 008).',
  'ui.a11y.scope': 'This accessibility statement applies to the web interface of Entente.',
  'ui.a11y.status.heading': 'Compliance status',
  'ui.a11y.status.body':
    'Entente is not compliant with RGAA 4.1 (the French accessibility framework, which takes up the WCAG 2.1 level AA criteria): no compliance audit has been carried out yet.',
  'ui.a11y.status.meaning':
    'This status honestly states what has been checked so far; it does not mean that the service cannot be used.',
  'ui.a11y.tests.heading': 'What has been checked',
  'ui.a11y.tests.intro': 'Until an audit is carried out, every change to Entente is checked automatically:',
  'ui.a11y.tests.axe':
    'automated checks with axe-core of every page, in the three languages (French of France, French of Québec, English), with no issue tolerated;',
  'ui.a11y.tests.keyboard':
    'keyboard use: skip link to the content, language switch, tab order and visible focus;',
  'ui.a11y.tests.language': 'page language declared, and updated when you change language.',
  'ui.a11y.tests.limits':
    'Automated tests only detect some of the possible issues: they replace neither an audit nor testing with people with disabilities.',
  'ui.a11y.nonAccessible.heading': 'Non-accessible content',
  'ui.a11y.nonAccessible.body':
    'Without an audit, non-compliant content has not been listed yet. The domains being built will be checked as they go into service.',
  'ui.a11y.establishment.heading': 'Preparation of this statement',
  'ui.a11y.establishment.date': 'This statement was prepared on {date, date, long}.',
  'ui.a11y.establishment.tech': 'Technologies used: HTML, CSS, JavaScript, WAI-ARIA.',
  'ui.a11y.establishment.tools': 'Test environment: Chromium browser, axe-core tool, keyboard navigation.',
  'ui.a11y.contact.heading': 'Feedback and contact',
  'ui.a11y.contact.body':
    'If you cannot access some content or a service, contact the digital directorate that operates Entente for your administration: it will direct you to an accessible alternative or send you the content in another form.',
  'ui.a11y.contact.fr': 'In France: the interministerial digital directorate (DINUM).',
  'ui.a11y.contact.qc': 'In Québec: the ministère de la Cybersécurité et du Numérique.',
  'ui.a11y.recourse.heading': 'Remedies',
  'ui.a11y.recourse.intro':
    'If you have reported an accessibility issue that prevents you from accessing some content or a service and have not received a satisfactory answer, you can:',
  'ui.a11y.recourse.form': 'write a message to the Défenseur des droits (French rights ombudsman)',
  'ui.a11y.recourse.delegate': 'contact the Défenseur des droits delegate in your region',
  'ui.a11y.recourse.post':
    'send a letter by post (free of charge, no stamp needed): Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07, France.',
  'ui.a11y.recourse.qc':
    'In Québec, the Office des personnes handicapées du Québec informs and supports people with disabilities in their dealings with public bodies.',

  'ui.legal.title': 'Legal notice and personal data',
  'ui.legal.publisher.heading': 'Publisher',
  'ui.legal.publisher.body':
    'Entente is operated in each state by its digital directorate: in France, the interministerial digital directorate (DINUM); in Québec, the ministère de la Cybersécurité et du Numérique. Each one is the publisher of its own instance.',
  'ui.legal.hosting.heading': 'Hosting',
  'ui.legal.hosting.body':
    'The data of each jurisdiction is hosted in that jurisdiction: in France for the French cell, in Québec for the Québec cell. The host of each cell is appointed by the digital directorate that operates it.',
  'ui.legal.data.heading': 'Personal data',
  'ui.legal.data.intro': 'Entente keeps only what the service needs:',
  'ui.legal.data.identity':
    'your professional identity, provided by your state’s identity federation (name, work email address, organisation);',
  'ui.legal.data.sessions': 'your sign-in sessions;',
  'ui.legal.data.content': 'the content you create or share (documents, comments, files);',
  'ui.legal.data.skills': 'your digital skills assessment results, if you take any.',
  'ui.legal.data.cell':
    'Your personal data is kept in the cell of your home jurisdiction: in France for public servants of French administrations, in Québec for those of Québec administrations. The other cell keeps only a pseudonymous identifier: your name is displayed there without being copied.',
  'ui.legal.data.purpose':
    'This data is used only to provide the service, as part of the public service mission of the administrations that operate it. It is neither sold nor used for advertising.',
  'ui.legal.rights.heading': 'Your rights',
  'ui.legal.rights.gdpr':
    'In France, the General Data Protection Regulation (GDPR) gives you rights of access, rectification, erasure, restriction and objection. Exercise them with the data protection officer of your administration; you may also lodge a complaint with the CNIL.',
  'ui.legal.rights.law25':
    'In Québec, Law 25 (An Act to modernize legislative provisions as regards the protection of personal information) gives you in particular rights of access and rectification. Exercise them with the person in charge of the protection of personal information of your body; you may also file a complaint with the Commission d’accès à l’information du Québec.',
  'ui.legal.cookies.heading': 'Cookies and trackers',
  'ui.legal.cookies.intro':
    'Entente uses no third-party trackers and no audience measurement. It sets only two cookies, both strictly necessary:',
  'ui.legal.cookies.session': 'a session cookie, which keeps you signed in during your visit;',
  'ui.legal.cookies.lang':
    'the “entente_lang” cookie, which remembers the language you chose for one year (it is also kept in your browser’s local storage).',
  'ui.legal.cookies.consent':
    'These cookies are essential to the service or requested by you: they do not require consent.',

  'ui.notFound.title': 'Page not found',
  'ui.notFound.code': 'Error 404',
  'ui.notFound.body':
    'The page you are looking for does not exist or has been moved. Check the address, or start again from the home page.',
  'ui.demoIdp.title.fr': 'Demo identity provider (France)',
  'ui.demoIdp.title.qc': 'Demo identity provider (Québec)',
  'ui.demoIdp.notice.fr':
    'This is a demo identity provider built into Entente: it is not ProConnect. It imitates it for testing; no password is asked and no real data must be entered.',
  'ui.demoIdp.notice.qc':
    'This is a demo identity provider built into Entente: it is not the Québec government authentication service. It imitates it for testing; no password is asked and no real data must be entered.',
  'ui.demoIdp.client': 'The service “{client}” asks to identify you.',
  'ui.demoIdp.agents.legend': 'Demo agent',
  'ui.demoIdp.agent.email': 'Email address: {email}',
  'ui.demoIdp.secondFactor.label': 'Confirm with a second factor (simulated)',
  'ui.demoIdp.secondFactor.hint': 'Level of assurance obtained: {withFactor} with the second factor, {withoutFactor} without.',
  'ui.demoIdp.secondFactor.required':
    'The service asks for a level of assurance that requires the second factor: without it, sign-in will be refused.',
  'ui.demoIdp.submit': 'Sign in',
  'ui.demoIdp.cancel': 'Cancel',
  'ui.demoIdp.error.title': 'Demo sign-in failed',
  'ui.demoIdp.error.unknownAgent':
    'This demo agent does not exist. Go back to the service and sign in again, choosing an agent from the list.',
  'ui.demoIdp.error.interaction': 'This sign-in request has expired or cannot be found. Go back to the service and sign in again.',
  'ui.demoIdp.error.protocol': 'The demo provider refused the service’s request (code: {code}).',
  'ui.demoIdp.error.server': 'An unexpected error occurred. Try again in a moment.',
  'ui.demoIdp.error.detail': 'Technical detail:',
  'ui.demoIdp.logout.title': 'Sign out of the demo provider',
  'ui.demoIdp.logout.question': 'Do you want to sign out of the demo identity provider?',
  'ui.demoIdp.logout.yes': 'Yes, sign me out',
  'ui.demoIdp.logout.no': 'No, stay signed in',
  'ui.demoIdp.logout.done': 'You are signed out of the demo identity provider.',
};

export const ui = { 'fr-FR': frFR, 'fr-CA': frCA, en };
