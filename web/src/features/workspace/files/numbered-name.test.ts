import { describe, expect, it } from 'vitest';
import { numberedName, takenBy } from './upload-queue.ts';

describe('« Garder les deux »: the numbered name', () => {
  it('numbers before the extension, or at the end', () => {
    expect(numberedName('rapport.pdf', 2)).toBe('rapport (2).pdf');
    expect(numberedName('LISEZMOI', 3)).toBe('LISEZMOI (3)');
    expect(numberedName('.bashrc', 2)).toBe('.bashrc (2)');
  });

  it('shortens a long name so that the number survives the server’s 255 characters', () => {
    const long = `${'L'.repeat(251)}.txt`;
    const numbered = numberedName(long, 12);
    expect([...numbered].length).toBe(255);
    expect(numbered.endsWith(' (12).txt')).toBe(true);
    // Characters, not UTF-16 units: an emoji counts once, as on the server.
    const emoji = `${'😀'.repeat(252)}.md`;
    expect([...numberedName(emoji, 2)].length).toBe(255);
  });

  it('reads the existing item from the refusal, or nothing from another failure', () => {
    const failure = { kind: 'problem' as const, status: 409, slug: 'file_name_taken', title: null, detail: null, members: { existingId: 'f1', existingKind: 'file', existingName: 'Rapport.pdf' } };
    expect(takenBy(failure)).toEqual({ id: 'f1', kind: 'file', name: 'Rapport.pdf' });
    expect(takenBy({ ...failure, members: { existingId: 'x', existingKind: 'something' } })).toBeNull();
    expect(takenBy({ kind: 'network' })).toBeNull();
  });
});
