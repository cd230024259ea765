import { describe, expect, it } from 'vitest';
import { phoneNanpRecogniser, validatePhoneNanp } from './phone-nanp.ts';

const found = (text: string) => phoneNanpRecogniser.find(text).map((f) => text.slice(f.start, f.end));

describe('North American telephone numbers', () => {
  it('accepts Québec writings and gives them one key', () => {
    for (const w of ['(418) 643-1344', '418 643-1344', '418-643-1344', '418.643.1344', '1 418 643-1344', '+1 418-643-1344', '+14186431344']) {
      expect(validatePhoneNanp(w)).toBe('+14186431344');
      expect(found(`Téléphone : ${w}, poste 22`)).toEqual([w]);
    }
    expect(found('sans frais 1-800-363-1363')).toEqual(['1-800-363-1363']);
  });

  it('refuses area codes or exchanges starting 0 or 1 or ending 11, bare ten digits and bad lengths', () => {
    for (const bad of ['(018) 643-1344', '418 143-1344', '(911) 643-1344', '418 411-1344', '4186431344', '418 643-134', '418 643-13445', '2024-643-1344']) expect(found(bad)).toEqual([]);
  });
});
