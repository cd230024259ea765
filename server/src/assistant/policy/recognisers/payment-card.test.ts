import { describe, expect, it } from 'vitest';
import { paymentCardRecogniser, validatePaymentCard } from './payment-card.ts';

function luhnDigit(body: string): string {
  let sum = 0;
  [...body].reverse().forEach((c, i) => {
    let d = Number(c);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  });
  return String((10 - (sum % 10)) % 10);
}
const found = (text: string) => paymentCardRecogniser.find(text).map((f) => text.slice(f.start, f.end));

describe('payment card numbers', () => {
  it('accepts Luhn-valid numbers of the card networks, in their usual groupings', () => {
    const visa = `497010000000000${luhnDigit('497010000000000')}`;
    const mastercard = `522222000000000${luhnDigit('522222000000000')}`;
    const amex = `37828224631000${luhnDigit('37828224631000')}`;
    const diners = `3056930902590${luhnDigit('3056930902590')}`;
    for (const pan of [visa, mastercard, amex, diners, '4111111111111111', '5555555555554444', '378282246310005']) expect(validatePaymentCard(pan)).toBe(pan);
    expect(found(`carte ${visa.replace(/(\d{4})(?=\d)/g, '$1 ')} exp. 12/28`)).toHaveLength(1);
    expect(found(`Amex ${amex.slice(0, 4)} ${amex.slice(4, 10)} ${amex.slice(10)}`)).toHaveLength(1);
    expect(found(`CB ${mastercard.replace(/(\d{4})(?=\d)/g, '$1-')}`)).toHaveLength(1);
    expect(found(`n° ${visa}`)).toEqual([visa]);
  });

  it('refuses typos, other industries (1, 7, 8, 9) and 12 or 20 digits', () => {
    for (let i = 0; i < 16; i++) {
      const typo = '4111111111111111'.split('');
      typo[i] = String((Number(typo[i]) + 1) % 10);
      expect(validatePaymentCard(typo.join(''))).toBeNull();
    }
    const sim = `894450012345678901${luhnDigit('894450012345678901')}`;
    expect(validatePaymentCard(sim)).toBeNull();
    expect(validatePaymentCard(`41111111111${luhnDigit('41111111111')}`)).toBeNull();
    expect(found('4111 1111 1111 1111 1111')).toEqual([]);
    expect(found('4111 1111 1111 1111 €')).toEqual([]);
  });
});
