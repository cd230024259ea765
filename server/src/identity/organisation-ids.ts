/**
 * Official identifiers of organisations. SIRET (France): 14 digits whose Luhn sum is a multiple
 * of 10 — except La Poste's establishments (SIREN 356000000), whose digits simply add up to a
 * multiple of 5. NEQ (Québec enterprise register): 10 digits; its check algorithm is not
 * published, so only the shape is checked.
 */
export function isValidSiret(value: string): boolean {
  if (!/^\d{14}$/.test(value)) return false;
  if (luhn(value)) return true;
  // La Poste's establishments (its head office passes Luhn) follow their own rule.
  return value.startsWith('356000000') && [...value].reduce((total, d) => total + Number(d), 0) % 5 === 0;
}

function luhn(value: string): boolean {
  let sum = 0;
  for (let i = 0; i < value.length; i++) {
    let digit = Number(value[value.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function isValidNeq(value: string): boolean {
  return /^\d{10}$/.test(value);
}

/** A lower-case DNS name such as `numerique.gouv.fr`. */
export function isValidEmailDomain(value: string): boolean {
  return value.length <= 253 && /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(value);
}
