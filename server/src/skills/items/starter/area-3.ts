import type { AuthoredItem } from '../types.ts';

/**
 * Starter items for DigComp area 3, « Digital content creation » (3.1–3.4), written for public
 * agents of France and Québec. Facts that belong to one state name it, or give both.
 */
export const AREA_3_ITEMS = [
  // 3.1 Developing digital content (including accessible documents)
  {
    key: '3.1-01',
    competence: '3.1',
    level: 1,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Dans un traitement de texte, comment marquer les titres pour qu’un lecteur d’écran les reconnaisse ?',
      options: [
        'Appliquer les styles de titre (Titre 1, Titre 2…)',
        'Mettre les titres en gras, en taille plus grande',
        'Écrire les titres en majuscules et les souligner',
      ],
      explanation:
        'Seuls les styles de titre créent une vraie structure. Un lecteur d’écran s’en sert pour annoncer les titres et permettre de naviguer de l’un à l’autre ; le gras ne change que l’apparence.',
    },
    en: {
      stem: 'In a word processor, how do you mark headings so that a screen reader recognises them?',
      options: [
        'Apply the heading styles (Heading 1, Heading 2…)',
        'Write the headings in bold and a larger size',
        'Write the headings in capitals and underline them',
      ],
      explanation:
        'Only heading styles create a real structure. A screen reader uses them to announce headings and to jump from one to the next; bold only changes the look.',
    },
  },
  {
    key: '3.1-02',
    competence: '3.1',
    level: 2,
    kind: 'true_false',
    correct: [0],
    fr: {
      stem: 'Une image qui apporte une information doit avoir un texte de remplacement qui dit ce qu’elle montre.',
      explanation:
        'Vrai. Le texte de remplacement (alternative textuelle) est lu aux personnes qui ne voient pas l’image. Sans lui, elles perdent l’information.',
    },
    en: {
      stem: 'An image that carries information needs an alternative text that says what it shows.',
      explanation:
        'True. The alternative text is read to people who cannot see the image. Without it, they lose the information.',
    },
  },
  {
    key: '3.1-03',
    competence: '3.1',
    level: 3,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Quel texte de lien est le plus accessible dans une page ou un document ?',
      options: [
        'Cliquez ici',
        'https://www.exemple.gouv/docs/guide-conges-2026.pdf',
        'Guide des congés 2026 (PDF, 2 Mo)',
        'En savoir plus',
      ],
      explanation:
        'Un lien doit dire où il mène, même lu seul : les lecteurs d’écran proposent souvent la liste des liens de la page. Indiquer le format et le poids prévient aussi l’utilisateur.',
    },
    en: {
      stem: 'Which link text is the most accessible in a page or a document?',
      options: [
        'Click here',
        'https://www.example.gov/docs/leave-guide-2026.pdf',
        'Leave guide 2026 (PDF, 2 MB)',
        'Read more',
      ],
      explanation:
        'A link should say where it leads even when read on its own: screen readers often list all the links of a page. Giving the format and size also warns the user.',
    },
  },
  {
    key: '3.1-04',
    competence: '3.1',
    level: 4,
    kind: 'multiple',
    correct: [0, 1, 3],
    fr: {
      stem: 'Quelles pratiques rendent une présentation (diaporama) plus accessible ?',
      options: [
        'Un contraste suffisant entre le texte et le fond',
        'Ne pas transmettre une information par la couleur seule',
        'Mettre le texte important dans des images',
        'Donner à chaque diapositive un titre unique',
      ],
      explanation:
        'Le contraste aide les personnes malvoyantes, et une information donnée par la seule couleur échappe aux personnes daltoniennes. Des titres uniques permettent de se repérer ; un texte dans une image n’est pas lu par les lecteurs d’écran.',
    },
    en: {
      stem: 'Which practices make a slide presentation more accessible?',
      options: [
        'Enough contrast between the text and the background',
        'Not conveying information by colour alone',
        'Putting the important text inside images',
        'Giving each slide a unique title',
      ],
      explanation:
        'Contrast helps people with low vision, and information given by colour alone is lost to colour-blind people. Unique titles help people find their way; text inside an image is not read by screen readers.',
    },
  },
  {
    key: '3.1-05',
    competence: '3.1',
    level: 5,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Quel rapport de contraste minimal les WCAG (niveau AA), reprises par le RGAA en France, exigent-elles pour un texte de taille normale ?',
      options: ['2:1', '3:1', '4,5:1', '7:1'],
      explanation:
        'Le niveau AA demande 4,5:1 pour le texte courant et 3:1 pour le grand texte ; 7:1 correspond au niveau AAA. Un outil de vérification du contraste donne ce rapport.',
    },
    frCA: {
      stem: 'Quel rapport de contraste minimal les WCAG (niveau AA), reprises par le standard SGQRI 008 au Québec, exigent-elles pour un texte de taille normale ?',
    },
    en: {
      stem: 'What minimum contrast ratio do the WCAG (level AA), used by France’s RGAA and Québec’s SGQRI 008, require for normal-size text?',
      options: ['2:1', '3:1', '4.5:1', '7:1'],
      explanation:
        'Level AA requires 4.5:1 for body text and 3:1 for large text; 7:1 is level AAA. A contrast checker tool gives this ratio.',
    },
  },
  {
    key: '3.1-06',
    competence: '3.1',
    level: 6,
    kind: 'short_answer',
    correct: [],
    fr: {
      stem: 'Le RGAA (France) et le standard SGQRI 008 (Québec) s’appuient sur les mêmes règles internationales d’accessibilité du Web. Quel est leur sigle ?',
      accepted: ['WCAG', 'WCAG 2', 'WCAG 2.0', 'WCAG 2.1', 'WCAG 2.2', 'Web Content Accessibility Guidelines', 'Règles pour l’accessibilité des contenus Web'],
      explanation:
        'Les WCAG (Web Content Accessibility Guidelines) du W3C sont la base commune : le RGAA les traduit en critères à vérifier en France, le SGQRI 008 en fait le standard du gouvernement du Québec.',
    },
    en: {
      stem: 'France’s RGAA and Québec’s SGQRI 008 standard are both based on the same international web accessibility guidelines. What is their acronym?',
      accepted: ['WCAG', 'WCAG 2', 'WCAG 2.0', 'WCAG 2.1', 'WCAG 2.2', 'Web Content Accessibility Guidelines'],
      explanation:
        'The W3C’s WCAG (Web Content Accessibility Guidelines) are the common base: the RGAA turns them into criteria to check in France, and SGQRI 008 makes them the Québec government’s standard.',
    },
  },
  {
    key: '3.1-07',
    competence: '3.1',
    level: 7,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Vous devez publier une décision signée, numérisée en PDF. Comment la rendre lisible par un lecteur d’écran ?',
      options: [
        'Réduire le poids du fichier avant de le publier',
        'Reconnaître le texte (OCR) et baliser sa structure',
        'Ajouter un titre au fichier dans ses propriétés',
        'Publier le PDF tel quel, protégé par un mot de passe',
      ],
      explanation:
        'Un document numérisé n’est qu’une image : sans reconnaissance de texte, il n’y a rien à lire. Il faut ensuite baliser titres et ordre de lecture, ou publier en plus une version texte accessible.',
    },
    en: {
      stem: 'You must publish a signed decision scanned as a PDF. How do you make it readable by a screen reader?',
      options: [
        'Reduce the file size before publishing it',
        'Run text recognition (OCR) and tag the structure',
        'Add a title to the file in its properties',
        'Publish the PDF as it is, with a password',
      ],
      explanation:
        'A scanned document is only a picture: without text recognition there is nothing to read. Headings and reading order must then be tagged, or an accessible text version published as well.',
    },
  },

  // 3.2 Integrating and re-elaborating digital content
  {
    key: '3.2-01',
    competence: '3.2',
    level: 1,
    kind: 'true_false',
    correct: [1],
    fr: {
      stem: 'Si vous modifiez un document reçu en pièce jointe, le document de l’expéditeur est modifié aussi.',
      explanation:
        'Faux. Une pièce jointe est une copie : vos modifications restent sur votre copie. Pour travailler sur le même document, il faut partager un lien vers un espace commun.',
    },
    en: {
      stem: 'If you edit a document you received as an attachment, the sender’s document changes too.',
      explanation:
        'False. An attachment is a copy: your changes stay in your copy. To work on the same document, share a link to a common space.',
    },
  },
  {
    key: '3.2-02',
    competence: '3.2',
    level: 2,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Vous copiez un paragraphe d’une page Web dans votre note, mais ses polices et couleurs viennent avec. Que faites-vous ?',
      options: [
        'Coller sans mise en forme (texte seul)',
        'Coller le paragraphe comme une image',
        'Retaper tout le paragraphe à la main',
      ],
      explanation:
        'Le collage sans mise en forme garde le texte et prend le style de votre document. La note reste homogène et le texte reste modifiable.',
    },
    en: {
      stem: 'You copy a paragraph from a web page into your memo, but its fonts and colours come along. What do you do?',
      options: ['Paste without formatting (text only)', 'Paste the paragraph as a picture', 'Retype the whole paragraph by hand'],
      explanation:
        'Pasting without formatting keeps the text and takes on your document’s style. The memo stays consistent and the text stays editable.',
    },
  },
  {
    key: '3.2-03',
    competence: '3.2',
    level: 3,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Vous insérez dans un rapport un tableau venant d’un tableur. Il doit se mettre à jour quand le tableur change. Que faites-vous ?',
      options: [
        'Le coller comme image dans le rapport',
        'Le coller avec liaison au fichier source',
        'Le coller en texte sans mise en forme',
        'Le recopier à la main, cellule par cellule',
      ],
      explanation:
        'Le collage avec liaison garde un lien vers le fichier source : le tableau du rapport peut être actualisé. Les autres choix figent les chiffres du moment.',
    },
    en: {
      stem: 'You insert a table from a spreadsheet into a report. It must update when the spreadsheet changes. What do you do?',
      options: [
        'Paste it as a picture in the report',
        'Paste it with a link to the source file',
        'Paste it as text without formatting',
        'Retype it by hand, cell by cell',
      ],
      explanation:
        'Pasting with a link keeps a connection to the source file, so the table in the report can be refreshed. The other choices freeze the current figures.',
    },
  },
  {
    key: '3.2-04',
    competence: '3.2',
    level: 4,
    kind: 'short_answer',
    correct: [],
    fr: {
      stem: 'Comment s’appelle la fonction qui crée des lettres personnalisées (nom, numéro de dossier…) à partir d’un modèle et d’une liste dans un tableur ?',
      accepted: ['publipostage', 'le publipostage', 'fusion', 'fusion de courrier', 'fusion et publipostage', 'mail merge'],
      explanation:
        'Le publipostage fusionne un modèle de lettre avec une liste : chaque lettre reçoit les données d’une ligne. On évite les copies à la main et les erreurs de recopie.',
    },
    en: {
      stem: 'What is the feature called that creates personalised letters (name, file number…) from a template and a list in a spreadsheet?',
      accepted: ['mail merge', 'mailmerge', 'merge', 'a mail merge'],
      explanation:
        'Mail merge combines a letter template with a list: each letter gets the data of one row. It avoids copying by hand and retyping errors.',
    },
  },
  {
    key: '3.2-05',
    competence: '3.2',
    level: 5,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Vous rédigez une version facile à lire d’un courrier officiel pour le public. Quelle règle est essentielle ?',
      options: [
        'Reprendre tous les termes juridiques pour rester exact',
        'Supprimer les délais et les montants pour simplifier',
        'Garder le même sens et les mêmes droits que l’original',
        'Ajouter des exemples qui ne sont pas dans l’original',
      ],
      explanation:
        'Simplifier, c’est changer la forme, pas le fond : délais, montants et droits doivent rester les mêmes. Faites relire la version simplifiée par la personne responsable du texte d’origine.',
    },
    frCA: {
      stem: 'Vous rédigez une version en langage clair d’une lettre officielle pour la population. Quelle règle est essentielle ?',
    },
    en: {
      stem: 'You write an easy-to-read version of an official letter for the public. Which rule is essential?',
      options: [
        'Keep every legal term so as to stay accurate',
        'Remove deadlines and amounts to make it simpler',
        'Keep the same meaning and rights as the original',
        'Add examples that are not in the original',
      ],
      explanation:
        'Simplifying changes the form, not the substance: deadlines, amounts and rights must stay the same. Have the simplified version reviewed by whoever owns the original text.',
    },
  },
  {
    key: '3.2-06',
    competence: '3.2',
    level: 6,
    kind: 'multiple',
    correct: [0, 1, 3],
    fr: {
      stem: 'Vous créez un tableau de bord en combinant les données de deux tableurs de services différents. Que devez-vous vérifier ?',
      options: [
        'Que les deux fichiers utilisent les mêmes définitions et unités',
        'Que les chiffres couvrent la même période',
        'Que les deux fichiers utilisent la même police',
        'Que les lignes présentes dans les deux ne comptent pas double',
      ],
      explanation:
        'Des définitions, unités ou périodes différentes faussent les totaux, et les doublons gonflent les chiffres. La police n’a aucun effet sur les données.',
    },
    en: {
      stem: 'You build a dashboard by combining data from two spreadsheets kept by different teams. What must you check?',
      options: [
        'That both files use the same definitions and units',
        'That the figures cover the same period',
        'That both files use the same font',
        'That rows present in both are not counted twice',
      ],
      explanation:
        'Different definitions, units or periods distort the totals, and duplicates inflate the figures. The font has no effect on the data.',
    },
  },
  {
    key: '3.2-07',
    competence: '3.2',
    level: 7,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Le même contenu doit paraître en page Web, en PDF et en dépliant imprimé, et il change souvent. Quelle méthode évite les versions incohérentes ?',
      options: [
        'Tenir trois fichiers séparés et les corriger un par un',
        'Écrire le PDF puis le copier dans la page Web',
        'Confier chaque format à une personne différente',
        'Produire chaque format depuis une source unique',
      ],
      explanation:
        'Avec une source unique, une correction est faite une fois et se retrouve dans tous les formats. Trois fichiers tenus à la main finissent par diverger.',
    },
    en: {
      stem: 'The same content must appear as a web page, a PDF and a printed leaflet, and it changes often. Which method avoids inconsistent versions?',
      options: [
        'Keep three separate files and fix them one by one',
        'Write the PDF, then copy it into the web page',
        'Give each format to a different person',
        'Produce every format from one single source',
      ],
      explanation:
        'With a single source, a correction is made once and reaches every format. Three files kept by hand end up diverging.',
    },
  },

  // 3.3 Copyright and licences
  {
    key: '3.3-01',
    competence: '3.3',
    level: 1,
    kind: 'true_false',
    correct: [1],
    fr: {
      stem: 'Une image trouvée avec un moteur de recherche peut être reprise librement dans un document officiel.',
      explanation:
        'Faux. Une image en ligne est en général protégée par le droit d’auteur. Il faut vérifier sa licence ou demander l’autorisation, puis citer l’auteur.',
    },
    en: {
      stem: 'An image found with a search engine can be freely reused in an official document.',
      explanation:
        'False. An image online is usually protected by copyright. Check its licence or ask for permission, then credit the author.',
    },
  },
  {
    key: '3.3-02',
    competence: '3.3',
    level: 2,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Que signifie la mention « BY » dans une licence Creative Commons ?',
      options: [
        'Il faut citer l’auteur de l’œuvre',
        'Il est interdit de modifier l’œuvre',
        'L’usage commercial est interdit',
        'Il faut partager sous la même licence',
      ],
      explanation:
        'BY (« attribution ») oblige à citer l’auteur ; toutes les licences Creative Commons l’exigent. ND interdit les modifications, NC l’usage commercial et SA impose la même licence.',
    },
    en: {
      stem: 'What does « BY » mean in a Creative Commons licence?',
      options: [
        'You must credit the author of the work',
        'You may not modify the work',
        'Commercial use is not allowed',
        'You must share under the same licence',
      ],
      explanation:
        'BY (attribution) requires crediting the author; every Creative Commons licence does. ND forbids changes, NC commercial use, and SA requires the same licence.',
    },
  },
  {
    key: '3.3-03',
    competence: '3.3',
    level: 3,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'En France, des données publiques sont diffusées sous Licence Ouverte 2.0 (Etalab). Comment pouvez-vous les réutiliser ?',
      options: [
        'Seulement pour un usage non commercial et interne',
        'Seulement avec l’accord écrit de l’administration',
        'Librement, en citant la source et la date de mise à jour',
        'Librement, sans avoir à citer la source ni la date',
      ],
      explanation:
        'La Licence Ouverte permet toute réutilisation, même commerciale. Sa seule condition est de mentionner la source (l’auteur) et la date de la dernière mise à jour.',
    },
    en: {
      stem: 'In France, public data is published under the Licence Ouverte 2.0 (Etalab). How may you reuse it?',
      options: [
        'Only for internal, non-commercial use',
        'Only with the administration’s written consent',
        'Freely, citing the source and date of update',
        'Freely, without having to cite the source',
      ],
      explanation:
        'The Licence Ouverte allows any reuse, even commercial. Its only condition is to mention the source (the author) and the date of the last update.',
    },
  },
  {
    key: '3.3-04',
    competence: '3.3',
    level: 3,
    kind: 'multiple',
    correct: [0, 1, 2],
    fr: {
      stem: 'Vous citez un rapport dans une note. Que doit indiquer la référence ?',
      options: [
        'L’auteur ou l’organisme',
        'Le titre du rapport',
        'La date de publication',
        'Le nom du collègue qui vous l’a envoyé',
      ],
      explanation:
        'Auteur, titre et date (avec le lien ou l’éditeur) permettent au lecteur de retrouver la source. La personne qui vous l’a transmis n’aide pas à la retrouver.',
    },
    en: {
      stem: 'You cite a report in a memo. What must the reference give?',
      options: [
        'The author or organisation',
        'The title of the report',
        'The date of publication',
        'The name of the colleague who sent it to you',
      ],
      explanation:
        'Author, title and date (with the link or publisher) let the reader find the source. The person who forwarded it to you does not help find it.',
    },
  },
  {
    key: '3.3-05',
    competence: '3.3',
    level: 4,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Au Québec, un jeu de données de Données Québec est publié sous licence CC BY 4.0. Que devez-vous faire pour le réutiliser dans un rapport ?',
      options: [
        'Demander d’abord une autorisation écrite',
        'Citer la source et signaler vos modifications',
        'Payer des droits de reproduction au producteur',
        'Le réserver à un usage interne seulement',
      ],
      explanation:
        'La licence CC BY 4.0 permet toute réutilisation à condition de citer la source, d’indiquer la licence et de signaler les modifications. Aucune autorisation ni aucun paiement n’est nécessaire.',
    },
    en: {
      stem: 'In Québec, a data set on Données Québec is published under the CC BY 4.0 licence. What must you do to reuse it in a report?',
      options: [
        'Ask for written permission first',
        'Cite the source and say what you changed',
        'Pay reproduction fees to the producer',
        'Use it only inside your organisation',
      ],
      explanation:
        'CC BY 4.0 allows any reuse provided you credit the source, name the licence and say what you changed. No permission or payment is needed.',
    },
  },
  {
    key: '3.3-06',
    competence: '3.3',
    level: 5,
    kind: 'true_false',
    correct: [1],
    fr: {
      stem: 'Un document rédigé par un agent public dans le cadre de ses fonctions appartient au domaine public.',
      explanation:
        'Faux. En France, l’administration détient les droits nécessaires à sa mission (Code de la propriété intellectuelle, art. L131-3-1). Au Québec, les œuvres du gouvernement sont protégées par le droit d’auteur de la Couronne.',
    },
    en: {
      stem: 'A document written by a public agent as part of their duties is in the public domain.',
      explanation:
        'False. In France, the administration holds the rights its mission needs (Intellectual Property Code, art. L131-3-1). In Québec, government works are protected by Crown copyright.',
    },
  },
  {
    key: '3.3-07',
    competence: '3.3',
    level: 6,
    kind: 'single',
    correct: [3],
    fr: {
      stem: 'Un guide est sous licence CC BY-ND. Pouvez-vous publier votre traduction de ce guide sur le site de votre organisation ?',
      options: [
        'Oui, si vous citez l’auteur',
        'Oui, si le site n’est pas commercial',
        'Oui, si vous gardez la même licence',
        'Non, sans l’accord de l’auteur',
      ],
      explanation:
        'ND (« pas de modification ») interdit de diffuser une œuvre modifiée, et une traduction est une modification. Il faut l’accord de l’auteur.',
    },
    en: {
      stem: 'A guide is under a CC BY-ND licence. May you publish your translation of this guide on your organisation’s website?',
      options: [
        'Yes, if you credit the author',
        'Yes, if the website is not commercial',
        'Yes, if you keep the same licence',
        'No, not without the author’s consent',
      ],
      explanation:
        'ND (no derivatives) forbids sharing a modified work, and a translation is a modification. You need the author’s consent.',
    },
  },
  {
    key: '3.3-08',
    competence: '3.3',
    level: 7,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Vous intégrez un texte sous licence CC BY-SA dans un guide que vous publiez après l’avoir adapté. Sous quelle licence diffuser le guide adapté ?',
      options: [
        'CC BY-SA ou une licence déclarée compatible',
        'N’importe quelle licence de votre choix',
        'Uniquement la Licence Ouverte 2.0 d’Etalab',
        'Aucune : il entre dans le domaine public',
      ],
      explanation:
        'SA (« partage dans les mêmes conditions ») oblige à diffuser les adaptations sous la même licence ou une licence compatible reconnue par Creative Commons. Vous devez aussi citer l’auteur.',
    },
    en: {
      stem: 'You adapt a text under the CC BY-SA licence and include it in a guide you publish. Under which licence must the adapted guide be shared?',
      options: [
        'CC BY-SA or a licence declared compatible',
        'Any licence of your own choosing',
        'Only the Etalab Licence Ouverte 2.0',
        'None: it enters the public domain',
      ],
      explanation:
        'SA (ShareAlike) requires adaptations to be shared under the same licence or a compatible licence recognised by Creative Commons. You must also credit the author.',
    },
  },

  // 3.4 Programming (formulas, logic, simple automation)
  {
    key: '3.4-01',
    competence: '3.4',
    level: 1,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Dans un tableur, par quel signe commence une formule ?',
      options: ['=', '#', '!', '&'],
      explanation: 'Le signe = indique au tableur qu’il doit calculer le contenu de la cellule au lieu de l’afficher tel quel.',
    },
    en: {
      stem: 'In a spreadsheet, which sign does a formula start with?',
      options: ['=', '#', '!', '&'],
      explanation: 'The = sign tells the spreadsheet to calculate the cell’s content instead of showing it as typed.',
    },
  },
  {
    key: '3.4-02',
    competence: '3.4',
    level: 2,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Que calcule la formule =SOMME(B2:B10) ?',
      options: [
        'La somme des cellules B2 et B10 seulement',
        'La somme des cellules de B2 à B10',
        'La moyenne des cellules de B2 à B10',
        'Le nombre de cellules de B2 à B10',
      ],
      explanation: 'Le deux-points désigne une plage : toutes les cellules de B2 à B10. SOMME les additionne.',
    },
    en: {
      stem: 'What does the formula =SUM(B2:B10) calculate?',
      options: [
        'The sum of cells B2 and B10 only',
        'The sum of the cells from B2 to B10',
        'The average of the cells from B2 to B10',
        'The number of cells from B2 to B10',
      ],
      explanation: 'The colon marks a range: every cell from B2 to B10. SUM adds them up.',
    },
  },
  {
    key: '3.4-03',
    competence: '3.4',
    level: 3,
    kind: 'short_answer',
    correct: [],
    fr: {
      stem: 'La cellule A1 contient 7. Quel mot affiche la formule =SI(A1>10;"haut";"bas") ?',
      accepted: ['bas', '"bas"'],
      explanation: '7 n’est pas plus grand que 10 : la condition est fausse, donc SI renvoie sa troisième valeur, « bas ».',
    },
    en: {
      stem: 'Cell A1 contains 7. Which word does the formula =IF(A1>10,"high","low") show?',
      accepted: ['low', '"low"'],
      explanation: '7 is not greater than 10: the condition is false, so IF returns its third value, « low ».',
    },
  },
  {
    key: '3.4-04',
    competence: '3.4',
    level: 4,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'La cellule C2 contient =B2*$E$1. Vous recopiez cette formule vers le bas, en C3. Que contient C3 ?',
      options: ['=B3*$E$1', '=B3*$E$2', '=B2*$E$1', '=C3*$E$1'],
      explanation:
        'B2 est une référence relative : elle devient B3 en descendant d’une ligne. Les $ figent $E$1, qui reste identique : c’est une référence absolue.',
    },
    en: {
      stem: 'Cell C2 contains =B2*$E$1. You copy this formula down to C3. What does C3 contain?',
      options: ['=B3*$E$1', '=B3*$E$2', '=B2*$E$1', '=C3*$E$1'],
      explanation:
        'B2 is a relative reference: it becomes B3 one row down. The $ signs fix $E$1, which stays the same: it is an absolute reference.',
    },
  },
  {
    key: '3.4-05',
    competence: '3.4',
    level: 5,
    kind: 'true_false',
    correct: [0],
    fr: {
      stem: 'La formule =OU(A1>5;B1>5) renvoie VRAI quand une seule des deux conditions est vraie.',
      explanation: 'Vrai. OU renvoie VRAI dès qu’au moins une condition est vraie. C’est ET qui exige que toutes le soient.',
    },
    en: {
      stem: 'The formula =OR(A1>5,B1>5) returns TRUE when only one of the two conditions is true.',
      explanation: 'True. OR returns TRUE as soon as at least one condition is true. AND is the one that needs all of them.',
    },
  },
  {
    key: '3.4-06',
    competence: '3.4',
    level: 5,
    kind: 'single',
    correct: [2],
    fr: {
      stem: 'Un script doit envoyer un rappel à chaque agent qui n’a pas suivi une formation obligatoire. Quelle logique convient ?',
      options: [
        'Un envoi unique à toute la liste, sans condition',
        'Une condition testée une fois pour toute la liste',
        'Une boucle sur les agents, avec une condition pour chacun',
        'Une liste de noms écrite à la main dans le script',
      ],
      explanation:
        'La boucle traite chaque agent ; la condition n’envoie le rappel qu’à ceux qui n’ont pas suivi la formation. Une liste écrite à la main devient vite fausse.',
    },
    en: {
      stem: 'A script must send a reminder to every agent who has not taken a mandatory training. Which logic fits?',
      options: [
        'One message to the whole list, with no condition',
        'One condition tested once for the whole list',
        'A loop over the agents, with a condition for each',
        'A list of names typed by hand into the script',
      ],
      explanation:
        'The loop handles each agent; the condition sends the reminder only to those who have not taken the training. A list typed by hand soon goes out of date.',
    },
  },
  {
    key: '3.4-07',
    competence: '3.4',
    level: 6,
    kind: 'single',
    correct: [0],
    fr: {
      stem: 'Dans un tableur, quelle fonction retrouve le service d’un agent dans un autre tableau à partir de son matricule ?',
      options: ['RECHERCHEV', 'NB.SI', 'CONCATENER', 'ARRONDI'],
      explanation:
        'RECHERCHEV (ou RECHERCHEX) cherche une valeur dans la première colonne d’un tableau et renvoie la valeur d’une autre colonne de la même ligne.',
    },
    en: {
      stem: 'In a spreadsheet, which function finds an agent’s unit in another table from their employee number?',
      options: ['VLOOKUP', 'COUNTIF', 'CONCATENATE', 'ROUND'],
      explanation:
        'VLOOKUP (or XLOOKUP) looks for a value in the first column of a table and returns the value of another column in the same row.',
    },
  },
  {
    key: '3.4-08',
    competence: '3.4',
    level: 7,
    kind: 'single',
    correct: [1],
    fr: {
      stem: 'Vous automatisez un export mensuel par un script qui tournera sans surveillance. Qu’est-ce qui le rend fiable ?',
      options: [
        'Il s’exécute aussi vite que possible, la nuit',
        'Il contrôle ses entrées et signale ses erreurs',
        'Il remplace chaque mois l’export précédent',
        'Il utilise le compte personnel de son auteur',
      ],
      explanation:
        'Sans surveillance, personne ne voit un échec : le script doit contrôler ses entrées, garder une trace et prévenir en cas d’erreur. Un compte personnel cesse de fonctionner au départ de la personne.',
    },
    en: {
      stem: 'You automate a monthly export with a script that will run unattended. What makes it reliable?',
      options: [
        'It runs as fast as possible, at night',
        'It checks its inputs and reports its errors',
        'It overwrites the previous month’s export',
        'It uses its author’s personal account',
      ],
      explanation:
        'Unattended, nobody sees a failure: the script must check its inputs, keep a record and raise an alert on error. A personal account stops working when its owner leaves.',
    },
  },
] satisfies AuthoredItem[];
