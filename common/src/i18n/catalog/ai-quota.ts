/**
 * Messages of the AI quotas (`aiQuota.*`, helper A): the `message` of a 429 `quota_exceeded` of
 * the gateway, one per quota (the error's `param`), with the limit and the wait.
 */
export const aiQuota = {
  'fr-FR': {
    'aiQuota.exceeded.agent.requests_per_minute':
      'Quota d’IA atteint : vos requêtes par minute ({limit}). Réessayez dans {seconds, plural, one {# seconde} other {# secondes}}.',
    'aiQuota.exceeded.agent.tokens_per_minute':
      'Quota d’IA atteint : vos jetons par minute ({limit}). Réessayez dans {seconds, plural, one {# seconde} other {# secondes}}.',
    'aiQuota.exceeded.agent.tokens_per_day':
      'Quota d’IA atteint : vos jetons de la journée ({limit}). Réessayez dans {seconds, plural, one {# seconde} other {# secondes}}.',
    'aiQuota.exceeded.organisation.requests_per_minute':
      'Quota d’IA atteint : les requêtes par minute de votre organisation ({limit}). Réessayez dans {seconds, plural, one {# seconde} other {# secondes}}.',
    'aiQuota.exceeded.organisation.tokens_per_minute':
      'Quota d’IA atteint : les jetons par minute de votre organisation ({limit}). Réessayez dans {seconds, plural, one {# seconde} other {# secondes}}.',
    'aiQuota.exceeded.organisation.tokens_per_day':
      'Quota d’IA atteint : les jetons de la journée de votre organisation ({limit}). Réessayez dans {seconds, plural, one {# seconde} other {# secondes}}.',
  },
  'fr-CA': {},
  en: {
    'aiQuota.exceeded.agent.requests_per_minute':
      'AI quota reached: your requests per minute ({limit}). Try again in {seconds, plural, one {# second} other {# seconds}}.',
    'aiQuota.exceeded.agent.tokens_per_minute':
      'AI quota reached: your tokens per minute ({limit}). Try again in {seconds, plural, one {# second} other {# seconds}}.',
    'aiQuota.exceeded.agent.tokens_per_day':
      'AI quota reached: your tokens for the day ({limit}). Try again in {seconds, plural, one {# second} other {# seconds}}.',
    'aiQuota.exceeded.organisation.requests_per_minute':
      'AI quota reached: your organisation’s requests per minute ({limit}). Try again in {seconds, plural, one {# second} other {# seconds}}.',
    'aiQuota.exceeded.organisation.tokens_per_minute':
      'AI quota reached: your organisation’s tokens per minute ({limit}). Try again in {seconds, plural, one {# second} other {# seconds}}.',
    'aiQuota.exceeded.organisation.tokens_per_day':
      'AI quota reached: your organisation’s tokens for the day ({limit}). Try again in {seconds, plural, one {# second} other {# seconds}}.',
  },
} as const;
