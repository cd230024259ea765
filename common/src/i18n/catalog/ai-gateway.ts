/**
 * Messages of the AI gateway (`aiGateway.*`): the `message` of its errors, which keep OpenAI's
 * format (`{ error: { message, type, param, code } }`) so that OpenAI clients show them as they are.
 * The codes (`aiGateway.errors.<code>`) are the gateway's stable `code` values (docs/ai.md).
 */
export const aiGateway = {
  'fr-FR': {
    'aiGateway.errors.invalid_api_key':
      'Clé d’API absente ou invalide : envoyez un jeton d’accès personnel Entente de portée « ai » dans l’en-tête Authorization: Bearer.',
    'aiGateway.errors.insufficient_scope': 'Ce jeton d’accès n’a pas la portée « ai » : créez-en un avec cette portée dans votre compte Entente.',
    'aiGateway.errors.forbidden': 'Vous n’avez pas les droits nécessaires pour cette requête.',
    'aiGateway.errors.csrf': 'Requête refusée par sécurité : le jeton anti-falsification (CSRF) est absent ou invalide. Rechargez la page.',
    'aiGateway.errors.model_not_found': 'Le modèle « {model} » n’existe pas ou n’est pas proposé ici. La liste des modèles est à GET /ai/v1/models.',
    'aiGateway.errors.no_models': 'Aucun modèle d’IA n’est configuré sur ce serveur Entente : l’opérateur doit en déclarer (aiProviders, voir docs/ai.md).',
    'aiGateway.errors.wrong_kind':
      'Le modèle « {model} » est un modèle {kind, select, embeddings {de plongements (embeddings)} other {de conversation}} : utilisez {endpoint}.',
    'aiGateway.errors.n_unsupported': 'Le paramètre n doit valoir 1 : Entente produit une seule réponse par requête.',
    'aiGateway.errors.invalid_request': 'Requête invalide, champ « {param} » : {reason}',
    'aiGateway.errors.invalid_json': 'Le corps de la requête n’est pas un objet JSON valide.',
    'aiGateway.errors.request_too_large': 'La requête dépasse la taille maximale acceptée ({limit} octets).',
    'aiGateway.errors.unsupported_media_type': 'Envoyez le corps de la requête en JSON (Content-Type: application/json).',
    'aiGateway.errors.unknown_url': 'Adresse inconnue : {method} {path}. Les adresses du service sont /ai/v1/models, /ai/v1/chat/completions et /ai/v1/embeddings.',
    'aiGateway.errors.method_not_allowed': 'La méthode {method} n’est pas permise à cette adresse ; utilisez {allow}.',
    'aiGateway.errors.too_many_concurrent': 'Vous avez déjà {max} requêtes en cours : attendez la fin de l’une d’elles avant d’en lancer une autre.',
    'aiGateway.errors.rate_limited': 'Trop de requêtes : réessayez dans {seconds, plural, one {# seconde} other {# secondes}}.',
    'aiGateway.errors.upstream_unavailable': 'Le modèle « {model} » ne répond pas pour le moment ; réessayez dans quelques instants.',
    'aiGateway.errors.upstream_timeout': 'Le modèle « {model} » n’a pas répondu à temps ; réessayez plus tard ou avec une demande plus courte.',
    'aiGateway.errors.upstream_interrupted': 'La réponse du modèle « {model} » a été interrompue ; relancez la demande.',
    'aiGateway.errors.upstream_rejected': 'Le serveur du modèle « {model} » a refusé la requête (statut {status}).',
    'aiGateway.errors.unavailable': 'Un composant nécessaire ne répond pas ; réessayez dans quelques instants.',
    'aiGateway.errors.internal': 'Erreur interne du service d’IA. Référence de la requête : {requestId}.',
  },
  'fr-CA': {},
  en: {
    'aiGateway.errors.invalid_api_key':
      'Missing or invalid API key: send an Entente personal access token with scope "ai" in the Authorization: Bearer header.',
    'aiGateway.errors.insufficient_scope': 'This access token does not have the "ai" scope: create one with that scope in your Entente account.',
    'aiGateway.errors.forbidden': 'You do not have the rights needed for this request.',
    'aiGateway.errors.csrf': 'Request refused for security: the anti-forgery (CSRF) token is missing or invalid. Reload the page.',
    'aiGateway.errors.model_not_found': 'The model "{model}" does not exist or is not offered here. The list of models is at GET /ai/v1/models.',
    'aiGateway.errors.no_models': 'No AI model is configured on this Entente server: the operator must declare some (aiProviders, see docs/ai.md).',
    'aiGateway.errors.wrong_kind': 'The model "{model}" is {kind, select, embeddings {an embeddings model} other {a chat model}}: use {endpoint}.',
    'aiGateway.errors.n_unsupported': 'The parameter n must be 1: Entente produces one answer per request.',
    'aiGateway.errors.invalid_request': 'Invalid request, field "{param}": {reason}',
    'aiGateway.errors.invalid_json': 'The request body is not a valid JSON object.',
    'aiGateway.errors.request_too_large': 'The request is larger than the accepted maximum ({limit} bytes).',
    'aiGateway.errors.unsupported_media_type': 'Send the request body as JSON (Content-Type: application/json).',
    'aiGateway.errors.unknown_url': 'Unknown URL: {method} {path}. The service’s URLs are /ai/v1/models, /ai/v1/chat/completions and /ai/v1/embeddings.',
    'aiGateway.errors.method_not_allowed': 'The method {method} is not allowed at this URL; use {allow}.',
    'aiGateway.errors.too_many_concurrent': 'You already have {max} requests under way: wait for one of them to finish before sending another.',
    'aiGateway.errors.rate_limited': 'Too many requests: try again in {seconds, plural, one {# second} other {# seconds}}.',
    'aiGateway.errors.upstream_unavailable': 'The model "{model}" is not answering right now; try again in a moment.',
    'aiGateway.errors.upstream_timeout': 'The model "{model}" did not answer in time; try again later or with a shorter request.',
    'aiGateway.errors.upstream_interrupted': 'The answer of the model "{model}" was interrupted; send the request again.',
    'aiGateway.errors.upstream_rejected': 'The server of the model "{model}" refused the request (status {status}).',
    'aiGateway.errors.unavailable': 'A required component is not answering; try again in a moment.',
    'aiGateway.errors.internal': 'Internal error of the AI service. Request reference: {requestId}.',
  },
} as const;
