/** Check-digit algorithms shared by the recognisers (digits given as strings: values exceed 2^53). */

/** Luhn (ISO/IEC 7812-1): the sum with every second digit from the right doubled is a multiple of 10. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  return luhnSum(digits, false) % 10 === 0;
}

/** The digit to append to `digits` so that the whole passes Luhn. */
export function luhnCheckDigit(digits: string): string {
  return String((10 - (luhnSum(digits, true) % 10)) % 10);
}

function luhnSum(digits: string, doubleLast: boolean): number {
  let sum = 0;
  let double = doubleLast;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum;
}

/** `value mod m` for a string of decimal digits, in chunks that stay within safe integers. */
export function modDecimal(digits: string, m: number): number {
  let rest = 0;
  for (let i = 0; i < digits.length; i += 7) rest = Number(`${rest}${digits.slice(i, i + 7)}`) % m;
  return rest;
}

/** ISO 7064 MOD 97-10 over letters and digits (letters A=10 … Z=35), as IBAN uses it. */
export function mod97Alphanumeric(value: string): number {
  let rest = 0;
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    const n = code >= 65 && code <= 90 ? code - 55 : code - 48;
    rest = (n > 9 ? rest * 100 + n : rest * 10 + n) % 97;
  }
  return rest;
}
