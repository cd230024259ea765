import { luhnValid } from '../checksums.ts';
import { NUMBER_END, NUMBER_START, scanner } from './recogniser.ts';

/**
 * Payment card numbers (PAN): 13 to 19 digits, Luhn-checked, with an issuer prefix of the card
 * networks (Visa 4; Mastercard 51–55, 2221–2720; American Express 34, 37; Diners 300–305, 36, 38–39;
 * JCB 3528–3589; Discover, UnionPay, Maestro 5, 6). Written compact, in groups of four (16 and 19
 * digits) or 4-6-5 / 4-6-4 (American Express, Diners).
 */
function plausibleIssuer(pan: string): boolean {
  const two = Number(pan.slice(0, 2));
  const four = Number(pan.slice(0, 4));
  const first = pan[0];
  if (first === '4' || first === '5' || first === '6') return true;
  if (first === '2') return four >= 2221 && four <= 2720;
  if (first === '3') return two === 34 || two === 37 || two === 36 || two === 38 || two === 39 || (four >= 3000 && four <= 3059) || (four >= 3528 && four <= 3589);
  return false;
}

export function validatePaymentCard(value: string): string | null {
  const compact = value.replace(/[\s-]/g, '');
  if (!/^\d{13,19}$/.test(compact) || !plausibleIssuer(compact)) return null;
  return luhnValid(compact) ? compact : null;
}

export const paymentCardRecogniser = scanner({
  category: 'paymentCard',
  pattern: new RegExp(
    `${NUMBER_START}(?:\\d{4}([ \\u00a0\\-])\\d{4}\\1\\d{4}\\1\\d{4}(?:\\1\\d{3})?|\\d{4}([ \\u00a0\\-])\\d{6}\\2\\d{4,5}|\\d{13,19})${NUMBER_END}`,
    'gu',
  ),
  validate: validatePaymentCard,
  rejectAmounts: true,
  context: /\b(?:carte|card|visa|mastercard|cb|amex)\b/,
});
