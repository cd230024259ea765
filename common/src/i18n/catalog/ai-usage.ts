/**
 * Messages of AI usage accounting (`aiUsage.*`, helper A): what the agent is told when their
 * organisation keeps the text of their AI requests (content logging), for the assistant's UI.
 */
export const aiUsage = {
  'fr-FR': {
    'aiUsage.contentLogging.notice':
      'Votre organisation conserve le texte de vos demandes à l’IA et de ses réponses, chiffré, pendant {days} jours.',
    'aiUsage.contentLogging.off': 'Le texte de vos demandes à l’IA n’est pas conservé : seuls leur volume et leur durée sont comptés.',
  },
  'fr-CA': {},
  en: {
    'aiUsage.contentLogging.notice': 'Your organisation keeps the text of your AI requests and of their answers, encrypted, for {days} days.',
    'aiUsage.contentLogging.off': 'The text of your AI requests is not kept: only their volume and duration are counted.',
  },
} as const;
