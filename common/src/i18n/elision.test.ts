import { describe, expect, it } from 'vitest';
import { nameValues } from './elision.ts';
import { formatMessage } from './format.ts';

describe('nameValues (French elision before a name)', () => {
  it('elides before a vowel, accented or not, and not before a consonant, an h or a y sounded as a consonant', () => {
    expect(nameValues('Inès Moreau').nameElides).toBe('yes');
    expect(nameValues('Émilie Tremblay').nameElides).toBe('yes');
    expect(nameValues('Yves Roy').nameElides).toBe('yes');
    expect(nameValues('Yann Roy').nameElides).toBe('no');
    expect(nameValues('Ysé Martin').nameElides).toBe('yes');
    expect(nameValues('Hugo Bernard').nameElides).toBe('no');
    expect(nameValues('Camille Martin').nameElides).toBe('no');
  });

  it('gives « d’Inès » and « de Camille » in the organisation page’s messages, and English unchanged', () => {
    expect(formatMessage('fr-FR', 'admin.members.rolesOf', nameValues('Inès Moreau'))).toBe('Rôles d’Inès Moreau');
    expect(formatMessage('fr-FR', 'admin.members.save', nameValues('Camille Martin'))).toBe('Enregistrer les rôles de Camille Martin');
    expect(formatMessage('fr-CA', 'admin.members.saved', nameValues('Émilie Tremblay'))).toBe('Rôles d’Émilie Tremblay enregistrés.');
    expect(formatMessage('fr-FR', 'admin.teams.makeMember', nameValues('Olivier Gagnon'))).toBe('Retirer la responsabilité d’Olivier Gagnon');
    expect(formatMessage('fr-FR', 'comments.moderate.confirm', nameValues('Inès Moreau'))).toMatch(/^Supprimer le commentaire d’Inès Moreau \?/);
    expect(formatMessage('en', 'admin.members.rolesOf', nameValues('Inès Moreau'))).toBe('Roles of Inès Moreau');
  });
});
