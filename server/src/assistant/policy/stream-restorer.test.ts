import { describe, expect, it } from 'vitest';
import { nir } from '../../../test/support/personal-numbers.ts';
import { compileAgentNames, pseudonymise, restore, StreamRestorer } from './index.ts';

const NIR = nir('1850578006084');
const { mapping } = pseudonymise(`Camille Martin, NIR ${NIR}, courriel camille.martin@numerique.gouv.fr, tél. 06 12 34 56 78, 01 40 15 80 00`, {
  agents: compileAgentNames([{ givenName: 'Camille', familyName: 'Martin' }]),
});
const ANSWER = '[PERSONNE_1] ([NIR_1]) sera rappelée au [TELEPHONE_2] ou au [TELEPHONE_1] ; écrire à [COURRIEL_1]. [1] [TELEPHONE_3] [ [PERSONNE_1]';
const RESTORED = restore(ANSWER, mapping);

function streamed(chunks: readonly string[]): { out: string; emitted: string[] } {
  const restorer = new StreamRestorer(mapping);
  const emitted = chunks.map((c) => restorer.push(c));
  emitted.push(restorer.end());
  return { out: emitted.join(''), emitted };
}

describe('StreamRestorer', () => {
  it('restores the answer whatever the position of a cut into two chunks', () => {
    expect(RESTORED).toBe(`Camille Martin (${NIR}) sera rappelée au 01 40 15 80 00 ou au 06 12 34 56 78 ; écrire à camille.martin@numerique.gouv.fr. [1] [TELEPHONE_3] [ Camille Martin`);
    for (let i = 0; i <= ANSWER.length; i++) expect(streamed([ANSWER.slice(0, i), ANSWER.slice(i)]).out).toBe(RESTORED);
  });

  it('restores it streamed one character at a time, and in every pair of cuts', () => {
    expect(streamed([...ANSWER]).out).toBe(RESTORED);
    for (let i = 0; i <= ANSWER.length; i += 1) {
      for (let j = i; j <= ANSWER.length; j += 3) expect(streamed([ANSWER.slice(0, i), ANSWER.slice(i, j), ANSWER.slice(j)]).out).toBe(RESTORED);
    }
  });

  it('holds back only what may begin a placeholder of the mapping', () => {
    const restorer = new StreamRestorer(mapping);
    expect(restorer.push('Bonjour [PERS')).toBe('Bonjour ');
    expect(restorer.push('ONNE_1], voir [1')).toBe('Camille Martin, voir [1');
    expect(restorer.push('] et [X')).toBe('] et [X');
    expect(restorer.push(' fin [')).toBe(' fin ');
    expect(restorer.push('NIR_')).toBe('');
    expect(restorer.end()).toBe('[NIR_');
  });

  it('passes text through untouched with an empty mapping', () => {
    const restorer = new StreamRestorer(pseudonymise('rien').mapping);
    expect(restorer.push('a [PERSONNE_1')).toBe('a [PERSONNE_1');
    expect(restorer.end()).toBe('');
  });
});
