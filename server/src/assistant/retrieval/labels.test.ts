import { describe, expect, it } from 'vitest';
import { messages } from '../../../../common/src/i18n/catalog/index.ts';
import { EXTRACTIVE_ASK_LABEL, EXTRACTIVE_SUMMARY_LABEL } from './retrieval.ts';

describe('labels of extractive answers', () => {
  it('exist in every locale, and say that no model wrote them', () => {
    for (const key of [EXTRACTIVE_ASK_LABEL, EXTRACTIVE_SUMMARY_LABEL]) {
      for (const locale of ['fr-FR', 'fr-CA', 'en'] as const) expect(messages[locale][key], `${locale} ${key}`).toBeTruthy();
      expect(messages['fr-FR'][key]).toMatch(/sans modèle d’IA/u);
      expect(messages.en[key]).toMatch(/without an AI model/u);
    }
  });
});
