import { describe, expect, it } from 'vitest';
import { messages } from '../../../common/src/i18n/catalog/index.ts';
import { STATUS_BY_SLUG } from './errors.ts';

describe('problem types', () => {
  it('every slug has a title and a detail in French and in English', () => {
    for (const slug of Object.keys(STATUS_BY_SLUG)) {
      for (const locale of ['fr-FR', 'fr-CA', 'en'] as const) {
        expect(messages[locale][`errors.${slug}.title`], `${locale} errors.${slug}.title`).toBeTruthy();
        expect(messages[locale][`errors.${slug}.detail`], `${locale} errors.${slug}.detail`).toBeTruthy();
      }
    }
  });
});
