import { describe, expect, it } from 'vitest';
import { fieldMessage, fieldPlace } from './skills-field-issues.ts';

// Narrow no-break spaces and no-break spaces (numbers, French quotes) compared as plain spaces.
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');
const fr = (issue: Parameters<typeof fieldMessage>[1]) => plain(fieldMessage('fr-FR', issue));
const en = (issue: Parameters<typeof fieldMessage>[1]) => plain(fieldMessage('en', issue));

describe('a field error of the skills authoring screens, in words', () => {
  it('says a wrong kind of value, a missing one and a decimal where a whole number is due', () => {
    const level = { code: 'invalid_type', params: { expected: 'number', received: 'string' } };
    expect(fr(level)).toBe('Il faut ici un nombre, et non un texte.');
    expect(fieldMessage('fr-CA', level)).toBe(fieldMessage('fr-FR', level));
    expect(en(level)).toBe('This must be a number, not text.');
    expect(fr({ code: 'invalid_type', params: { expected: 'string', received: 'missing' } })).toBe('Ce champ est obligatoire.');
    expect(fr({ code: 'invalid_type', params: { expected: 'int', received: 'number' } })).toBe('Il faut ici un nombre entier, et non un nombre décimal.');
    // From a route's schema the server does not see the input: what is expected only.
    expect(fr({ code: 'invalid_type', params: { expected: 'array' } })).toBe('Il faut ici une liste.');
    expect(fr({ code: 'invalid_type', params: { expected: 'object', received: 'string' } })).toBe('Il faut ici un objet JSON, et non un texte.');
    expect(fr({ code: 'invalid_type' })).toBe('Valeur manquante ou d’un type inattendu.');
  });

  it('says the limit of a text, a list or a number', () => {
    expect(fr({ code: 'too_big', params: { origin: 'string', maximum: 1000, inclusive: true } })).toBe('1 000 caractères au plus.');
    expect(en({ code: 'too_big', params: { origin: 'string', maximum: 1000, inclusive: true } })).toBe('1,000 characters at most.');
    expect(fr({ code: 'too_big', params: { origin: 'array', maximum: 10, inclusive: true } })).toBe('10 éléments au plus.');
    expect(fr({ code: 'too_big', params: { origin: 'number', maximum: 8, inclusive: true } })).toBe('8 au plus.');
    expect(fr({ code: 'too_big', params: { origin: 'number', maximum: 0.5, inclusive: false } })).toBe('Moins de 0,5.');
    expect(en({ code: 'too_big', params: { origin: 'number', maximum: 0.5, inclusive: false } })).toBe('Less than 0.5.');
    expect(fr({ code: 'too_small', params: { origin: 'number', minimum: 1, inclusive: true } })).toBe('Au moins 1.');
    expect(fr({ code: 'too_small', params: { origin: 'number', minimum: 0, inclusive: false } })).toBe('Plus de 0.');
    expect(fr({ code: 'too_small', params: { origin: 'string', minimum: 1, inclusive: true } })).toBe('Ce champ est obligatoire.');
    expect(fr({ code: 'too_small', params: { origin: 'array', minimum: 3, inclusive: true } })).toBe('Au moins 3 éléments.');
    // Without params (an older server, another origin): the code's general message.
    expect(fr({ code: 'too_big' })).toBe('Valeur trop longue ou trop grande.');
    expect(fr({ code: 'too_small', params: { origin: 'date', minimum: 0, inclusive: true } })).toBe('Valeur trop courte ou trop petite.');
  });

  it('names the values allowed and the fields not known, quoted the reader’s way', () => {
    const kind = { code: 'invalid_value', params: { values: ['single', 'multiple', 'true_false', 'short_answer'] } };
    expect(fr(kind)).toBe('Valeur non prévue ; valeurs possibles : « single », « multiple », « true_false » ou « short_answer ».');
    expect(en(kind)).toBe('Unexpected value; possible values: “single”, “multiple”, “true_false”, or “short_answer”.');
    expect(fr({ code: 'invalid_value', params: { values: ['entente-skills-items'] } })).toBe('Valeur non prévue : « entente-skills-items » attendu.');
    expect(fr({ code: 'unrecognized_keys', params: { keys: ['extra'] } })).toBe('Le champ « extra » n’est pas connu d’Entente : retirez-le.');
    expect(fr({ code: 'unrecognized_keys', params: { keys: ['hint', 'image'] } })).toBe('Les champs « hint » et « image » ne sont pas connus d’Entente : retirez-les.');
    expect(en({ code: 'unrecognized_keys', params: { keys: ['extra'] } })).toBe('Entente does not know the field “extra”: remove it.');
    expect(fr({ code: 'unrecognized_keys' })).toBe('Contient un champ qu’Entente ne connaît pas : retirez-le.');
  });

  it('says a format by the rule of its field, not by a pattern', () => {
    expect(fr({ code: 'invalid_format', path: 'competence', params: { format: 'regex' } })).toMatch(/^De 1\.1 à 5\.4 \(DigComp\)/);
    expect(fr({ code: 'invalid_format', path: 'key', params: { format: 'regex' } })).toMatch(/^Minuscules, chiffres, points et tirets/);
    expect(fr({ code: 'invalid_format', path: 'organisationId', params: { format: 'uuid' } })).toBe('Identifiant UUID attendu.');
    expect(fr({ code: 'invalid_format', path: 'exportedAt' })).toBe('Format non valable.');
  });

  it('says the project’s own codes, and something for a code it does not know', () => {
    expect(fr({ code: 'unknown_competence' })).toBe('Compétence inconnue du référentiel.');
    expect(fr({ code: 'level_range' })).toBe('Le niveau va de 1 à 8.');
    expect(en({ code: 'correct_single' })).toBe('Tick exactly one right answer.');
    expect(fr({ code: 'invalid_text' })).toMatch(/^Contient un caractère invisible ou mal encodé/);
    expect(fr({ code: 'not_multiple_of', params: { divisor: 2 } })).toBe('Valeur non valable.');
    expect(en({ code: 'something_new' })).toBe('Invalid value.');
  });
});

describe('where a field error is, in words', () => {
  it('names an item’s fields by the editor’s labels, in their language', () => {
    expect(fieldPlace('fr-FR', 'fr.stem')).toBe('Énoncé en français (France)');
    expect(fieldPlace('fr-CA', 'frCA.explanation')).toBe('Explication en français (Québec)');
    expect(fieldPlace('en', 'en.options.1')).toBe('Option 2 in English');
    expect(fieldPlace('fr-FR', 'fr.accepted.0')).toBe('Réponse acceptée 1 en français (France)');
    expect(fieldPlace('fr-FR', 'en')).toBe('Texte en anglais');
    expect(fieldPlace('fr-FR', 'level')).toBe('Niveau');
    expect(fieldPlace('fr-FR', 'kind')).toBe('Type de question');
    expect(fieldPlace('fr-FR', 'parameters.a')).toBe('Discrimination (a)');
    expect(fieldPlace('en', 'parameters.c')).toBe('Pseudo-guessing (c)');
    expect(fieldPlace('fr-FR', '')).toBe('Question');
    expect(fieldPlace('fr-FR', 'organisationId')).toBe('Organisation d’origine du fichier');
    expect(fieldPlace('fr-CA', 'exportedAt')).toBe('Date de l’exportation');
  });

  it('shows a path it does not know as its parts, never a function’s text', () => {
    expect(fieldPlace('fr-FR', 'fr.hint')).toBe('fr › hint');
    expect(fieldPlace('fr-FR', 'somewhere.deep.2')).toBe('somewhere › deep › 2');
    expect(fieldPlace('fr-FR', 'constructor')).toBe('constructor');
  });
});
