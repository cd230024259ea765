import type { Jurisdiction } from '../jurisdiction.ts';
import type { Locale } from './locales.ts';

/**
 * The language a space's documents are taken to be written in: its jurisdiction's French. Documents
 * carry no language of their own; exports write it into their metadata, and pages mark the
 * document's title and text with it (`lang`), so that a screen reader set to the interface's
 * language (English, say) reads the French text as French (WCAG 3.1.2, language of parts).
 */
export const contentLanguageOf = (jurisdiction: Jurisdiction): Locale => (jurisdiction === 'QC' ? 'fr-CA' : 'fr-FR');
