/**
 * Messages of the assistant over the agent's documents (`assistant.*`). For now the labels the API
 * returns with extractive answers (`label` of POST /api/assistant/ask and /summarise): nothing was
 * generated, and the agent is told so (EU AI Act art. 50). The panel's own messages come with it.
 */
export const assistant = {
  'fr-FR': {
    'assistant.extractive.askLabel':
      'Passages extraits automatiquement de vos documents, sans modèle d’IA : aucun texte n’a été rédigé par une machine. Vérifiez-les dans les documents cités.',
    'assistant.extractive.summaryLabel':
      'Résumé extractif : phrases clés du document, choisies automatiquement sans modèle d’IA et citées telles quelles, dans l’ordre du document.',
  },
  'fr-CA': {},
  en: {
    'assistant.extractive.askLabel':
      'Passages picked automatically from your documents, without an AI model: no text was written by a machine. Check them in the cited documents.',
    'assistant.extractive.summaryLabel':
      'Extractive summary: the document’s key sentences, chosen automatically without an AI model and quoted as they are, in document order.',
  },
} as const;
