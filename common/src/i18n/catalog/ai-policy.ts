/**
 * Messages of the AI policy (`aiPolicy.*`: refusals of the gateway, in its OpenAI error format and
 * in GET /api/assistant/models) and of classification labels in the web app (`classification.*`).
 * Level names are not here: the operator configures them per jurisdiction (ENTENTE_CONFIG aiPolicy).
 */
export const aiPolicy = {
  'fr-FR': {
    'aiPolicy.errors.classification_refused':
      'Ce contenu est classé « {level} » : le modèle « {model} » n’est habilité que jusqu’à « {cleared} ». Choisissez un modèle habilité pour ce niveau, ou demandez à l’administrateur d’en configurer un ; rien n’a été envoyé.',
    'aiPolicy.errors.jurisdiction_refused':
      'Ce contenu vient d’un espace {jurisdiction, select, FR {français} QC {québécois} other {}} : le modèle « {model} » n’est pas autorisé à recevoir des données de cette juridiction. Choisissez un modèle hébergé {jurisdiction, select, FR {en France} QC {au Québec} other {}} ou couvert par un accord ; rien n’a été envoyé.',
    'aiPolicy.errors.document_forbidden':
      'Un des documents indiqués (en-tête X-Entente-Documents) n’existe pas ou ne vous est pas ouvert : la requête est refusée et rien n’a été envoyé.',
    'aiPolicy.errors.documents_header':
      'En-tête X-Entente-Documents invalide : attendu au plus {max} identifiants de documents (UUID) séparés par des virgules.',
  },
  'fr-CA': {},
  en: {
    'aiPolicy.errors.classification_refused':
      'This content is classified "{level}": the model "{model}" is cleared only up to "{cleared}". Choose a model cleared for this level, or ask your administrator to configure one; nothing was sent.',
    'aiPolicy.errors.jurisdiction_refused':
      'This content comes from a {jurisdiction, select, FR {French} QC {Québec} other {}} space: the model "{model}" is not allowed to receive data of this jurisdiction. Choose a model hosted {jurisdiction, select, FR {in France} QC {in Québec} other {}} or covered by an agreement; nothing was sent.',
    'aiPolicy.errors.document_forbidden':
      'One of the documents named (X-Entente-Documents header) does not exist or is not open to you: the request is refused and nothing was sent.',
    'aiPolicy.errors.documents_header': 'Invalid X-Entente-Documents header: expected at most {max} document ids (UUIDs) separated by commas.',
  },
} as const;

export const classification = {
  'fr-FR': {
    'classification.space.label': 'Niveau de classification',
    'classification.space.hint': 'Le contenu ne sera envoyé qu’aux modèles d’IA habilités pour ce niveau et autorisés dans la juridiction de l’espace.',
    'classification.document.label': 'Classification du document',
    'classification.document.inherit': 'Comme l’espace ({level})',
    'classification.document.badge': 'Classification : {level}',
    'classification.lowerOwnersOnly': 'Seuls les propriétaires de l’espace peuvent abaisser le niveau.',
    'classification.saved': 'Niveau de classification enregistré : {level}.',
    'classification.failed': 'Le niveau n’a pas pu être modifié.',
    'classification.readOnly': '{label} : {level}',
  },
  'fr-CA': {},
  en: {
    'classification.space.label': 'Classification level',
    'classification.space.hint': 'Content is sent only to AI models cleared for this level and allowed in the space’s jurisdiction.',
    'classification.document.label': 'Document classification',
    'classification.document.inherit': 'Same as the space ({level})',
    'classification.document.badge': 'Classification: {level}',
    'classification.lowerOwnersOnly': 'Only the space’s owners can lower the level.',
    'classification.saved': 'Classification level saved: {level}.',
    'classification.failed': 'The level could not be changed.',
    'classification.readOnly': '{label}: {level}',
  },
} as const;
