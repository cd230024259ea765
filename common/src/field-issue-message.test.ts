import { describe, expect, it } from 'vitest';
import { fieldIssueMessage } from './field-issue-message.ts';

const fr = (issue: Parameters<typeof fieldIssueMessage>[1]) => fieldIssueMessage('fr-FR', issue);
const en = (issue: Parameters<typeof fieldIssueMessage>[1]) => fieldIssueMessage('en', issue);

describe('fieldIssueMessage (problem+json errors[].message)', () => {
  it('says a limit with its number, in the reader’s language', () => {
    expect(fr({ code: 'too_big', params: { origin: 'string', maximum: 120, inclusive: true } })).toBe('120 caractères au plus.');
    expect(en({ code: 'too_big', params: { origin: 'string', maximum: 120, inclusive: true } })).toBe('120 characters at most.');
    expect(fr({ code: 'too_small', params: { origin: 'array', minimum: 2, inclusive: true } })).toBe('Au moins 2 éléments.');
    expect(fr({ code: 'too_small', params: { origin: 'string', minimum: 3, inclusive: true } })).toBe('Au moins 3 caractères.');
    expect(fr({ code: 'too_big', params: { origin: 'number', maximum: 1000, inclusive: false } })).toBe('Moins de 1\u202f000.');
    // Without usable params: the code's own words.
    expect(fr({ code: 'too_big' })).toBe('Valeur trop longue ou trop grande.');
  });

  it('names the values allowed, the fields not known, the type expected, a missing value', () => {
    expect(fr({ code: 'invalid_value', params: { values: ['FR', 'QC'] } })).toBe('Valeur non prévue ; valeurs possibles : « FR » ou « QC ».');
    expect(en({ code: 'unrecognized_keys', params: { keys: ['a', 'b'] } })).toBe('Entente does not know the fields “a” and “b”: remove them.');
    expect(fr({ code: 'invalid_type', params: { expected: 'string', received: 'number' } })).toBe('Il faut ici un texte, et non un nombre.');
    expect(fr({ code: 'invalid_type', params: { expected: 'string', received: 'missing' } })).toBe('Ce champ est obligatoire.');
    expect(fr({ code: 'invalid_format', params: { format: 'uuid' } })).toBe('Identifiant UUID attendu.');
  });

  it('says an empty text, an empty list or a choice left out as what is needed, not as a size', () => {
    expect(fr({ code: 'too_small', params: { origin: 'string', minimum: 1, inclusive: true } })).toBe('Ce champ est obligatoire.');
    expect(en({ code: 'too_small', params: { origin: 'string', minimum: 1, inclusive: true } })).toBe('This field is required.');
    expect(fr({ code: 'too_small', params: { origin: 'array', minimum: 1, inclusive: true } })).toBe('Faites au moins un choix.');
    expect(en({ code: 'too_small', params: { origin: 'array', minimum: 1, inclusive: true } })).toBe('Choose at least one.');
    // More than 1 (exclusive) is a number's bound, not a field left empty.
    expect(fr({ code: 'too_small', params: { origin: 'number', minimum: 1, inclusive: true } })).toBe('Au moins 1.');
    expect(fr({ code: 'invalid_value', params: { values: ['FR', 'QC'], received: 'missing' } })).toBe('Ce champ est obligatoire.');
  });

  it('uses a module’s own code when it has words, and never turns an unknown code into a key', () => {
    expect(fr({ code: 'answer_required' })).toBe('Choisissez ou saisissez une réponse.');
    expect(fr({ code: 'not_multiple_of' })).toBe('Valeur non valable.');
    expect(fr({ code: 'quoted' })).toBe('Valeur non valable.');
    expect(fr({ code: 'too_big.string' })).toBe('Valeur non valable.');
    expect(fr({ code: '../title' })).toBe('Valeur non valable.');
  });
});
