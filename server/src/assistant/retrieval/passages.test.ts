import { describe, expect, it } from 'vitest';
import { quoteOf, splitPassages } from './passages.ts';

describe('passages', () => {
  it('keeps a heading with the paragraph under it, gathers short blocks, and gives offsets into the text', () => {
    const body = ['Objet', 'Première mesure : les agents suivent une formation.', 'Calendrier', 'La formation ouvre en mars.'].join('\n\n');
    const passages = splitPassages(body, { target: 60, max: 200 });
    expect(passages.map((p) => p.text)).toEqual([
      'Objet\n\nPremière mesure : les agents suivent une formation.',
      'Calendrier\n\nLa formation ouvre en mars.',
    ]);
    for (const p of passages) expect(body.slice(p.start, p.end)).toBe(p.text);
    expect(passages.map((p) => p.index)).toEqual([0, 1]);
  });

  it('cuts a long block between sentences, never above the maximum', () => {
    const sentence = 'Le service numérique de l’État accompagne les ministères dans leurs projets. ';
    const body = sentence.repeat(40).trim();
    const passages = splitPassages(body, { target: 300, max: 400 });
    expect(passages.length).toBeGreaterThan(5);
    for (const p of passages) {
      expect(p.text.length).toBeLessThanOrEqual(400);
      expect(p.text.endsWith('projets.')).toBe(true);
      expect(body.slice(p.start, p.end)).toBe(p.text);
    }
  });

  it('cuts a single sentence longer than the maximum at a blank', () => {
    const body = 'mot '.repeat(300).trim();
    const passages = splitPassages(body, { max: 200 });
    for (const p of passages) expect(p.text.length).toBeLessThanOrEqual(200);
    expect(passages.map((p) => p.text).join(' ')).toBe(body);
  });

  it('quotes the first words of a passage on one line', () => {
    expect(quoteOf('Objet\n\nLa formation ouvre en mars pour tous les agents du ministère et de ses opérateurs.', 40)).toBe('Objet La formation ouvre en mars pour');
  });
});
