/**
 * The kinds of personal identifier the policy recognises. Each has the label of its placeholder
 * (« [NIR_1] ») — in French, as the models Entente addresses read French administrative text — and a
 * priority that settles overlapping findings (higher wins; then the longer; then context).
 */
export const PII_CATEGORIES = [
  'email',
  'iban',
  'nir',
  'spi',
  'sin',
  'siret',
  'siren',
  'paymentCard',
  'ramq',
  'phone',
  'driverLicenceQc',
  'address',
  'person',
] as const;
export type PiiCategory = (typeof PII_CATEGORIES)[number];

export function isPiiCategory(value: unknown): value is PiiCategory {
  return typeof value === 'string' && (PII_CATEGORIES as readonly string[]).includes(value);
}

/** Placeholder labels: upper-case ASCII letters and underscores only (the restorer relies on it). */
export const PLACEHOLDER_LABEL: Readonly<Record<PiiCategory, string>> = {
  email: 'COURRIEL',
  iban: 'IBAN',
  nir: 'NIR',
  spi: 'NUMERO_FISCAL',
  sin: 'NAS',
  siret: 'SIRET',
  siren: 'SIREN',
  paymentCard: 'CARTE_PAIEMENT',
  ramq: 'RAMQ',
  phone: 'TELEPHONE',
  driverLicenceQc: 'PERMIS_CONDUIRE',
  address: 'ADRESSE',
  person: 'PERSONNE',
};

/**
 * Identifiers with a checksum are the surest findings; an e-mail address or an IBAN contains digits
 * and letters that other recognisers could see part of, so they come first. A heuristic address
 * wins over a name inside it (a street named after an agent), and loses to anything with a check.
 */
export const PRIORITY: Readonly<Record<PiiCategory, number>> = {
  email: 5,
  iban: 5,
  nir: 4,
  spi: 4,
  sin: 4,
  siret: 4,
  siren: 4,
  paymentCard: 4,
  ramq: 4,
  phone: 3,
  driverLicenceQc: 3,
  address: 2,
  person: 1,
};
