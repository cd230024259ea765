/** The two jurisdictions whose data Entente keeps apart, each in its own cell. */
export const JURISDICTIONS = ['FR', 'QC'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export function isJurisdiction(value: unknown): value is Jurisdiction {
  return value === 'FR' || value === 'QC';
}
