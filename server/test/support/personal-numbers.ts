/**
 * Valid personal identifiers for tests and the redaction benchmark, computed here with BigInt from
 * each scheme's definition — independently of the recognisers in server/src/assistant/policy, so
 * that a test built on them checks the recognisers rather than repeating them.
 */

export function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** NIR: 13 characters (2A/2B allowed) and the key 97 − (n mod 97), 2A → 19, 2B → 18. */
export function nir(body: string): string {
  const numeric = body.replace('2A', '19').replace('2B', '18');
  return body + String(97n - (BigInt(numeric) % 97n)).padStart(2, '0');
}
export const groupNir = (n: string) => `${n[0]} ${n.slice(1, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7, 10)} ${n.slice(10, 13)} ${n.slice(13)}`;

/** Numéro fiscal (SPI): 10 digits and their value mod 511 on 3 digits. */
export const spi = (ten: string) => ten + String(BigInt(ten) % 511n).padStart(3, '0');
export const groupSpi = (n: string) => `${n.slice(0, 2)} ${n.slice(2, 4)} ${n.slice(4, 7)} ${n.slice(7, 10)} ${n.slice(10)}`;

export const siren = (eight: string) => eight + luhnDigit(eight);
export const siret = (sirenNumber: string, nicBody: string) => sirenNumber + nicBody + luhnDigit(sirenNumber + nicBody);
export const sin = (eight: string) => eight + luhnDigit(eight);
export const card = (body: string) => body + luhnDigit(body);

/** IBAN check digits (ISO 13616): 98 − (BBAN + country + 00, letters as 10–35) mod 97. */
export function iban(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return `${country}${String(98n - (BigInt(rearranged) % 97n)).padStart(2, '0')}${bban}`;
}
export const groupIban = (value: string) => value.replace(/(.{4})(?=.)/g, '$1 ');
export const group3 = (value: string, sep = ' ') => value.replace(/(\d{3})(?=\d)/g, `$1${sep}`);
