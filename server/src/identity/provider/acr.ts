import type { AssuranceLevel } from '../federation/upstream.ts';

/**
 * The `acr` values Entente asserts: ProConnect's (`eidas1`, `eidas2`, `eidas3` for eIDAS low,
 * substantial, high), so that a service already plugged into ProConnect reads them unchanged.
 * A session without a level (not through a federation) counts as low.
 */
export const ACR_VALUES = ['eidas1', 'eidas2', 'eidas3'] as const;
export type Acr = (typeof ACR_VALUES)[number];

const BY_LEVEL: Record<AssuranceLevel, Acr> = { low: 'eidas1', substantial: 'eidas2', high: 'eidas3' };
const LEVEL_OF: Record<Acr, AssuranceLevel> = { eidas1: 'low', eidas2: 'substantial', eidas3: 'high' };

export function acrOfLevel(level: string | null): Acr {
  return BY_LEVEL[level as AssuranceLevel] ?? 'eidas1';
}

const rank = (acr: Acr) => ACR_VALUES.indexOf(acr);

/** The acr values a request asks for: essential `acr` claim (value or values), else `acr_values`. */
export function requestedAcrs(params: { claims?: unknown; acr_values?: unknown }): Acr[] {
  let asked: unknown[] = [];
  try {
    const claims = typeof params.claims === 'string' ? (JSON.parse(params.claims) as { id_token?: { acr?: { value?: unknown; values?: unknown } } }) : undefined;
    const acr = claims?.id_token?.acr;
    if (acr && typeof acr.value === 'string') asked = [acr.value];
    else if (acr && Array.isArray(acr.values)) asked = acr.values;
  } catch {
    // A malformed claims parameter is oidc-provider's to refuse.
  }
  if (asked.length === 0 && typeof params.acr_values === 'string') asked = params.acr_values.split(' ');
  return asked.filter((a): a is Acr => (ACR_VALUES as readonly unknown[]).includes(a));
}

/**
 * The acr to assert for this request: the highest requested value the session reaches (a higher
 * level satisfies a lower request, and the client gets a value it asked for), or the session's
 * own when nothing is asked; null when the session is below every requested value (step-up).
 */
export function assertedAcr(requested: readonly Acr[], sessionLevel: string | null): Acr | null {
  const reached = acrOfLevel(sessionLevel);
  if (requested.length === 0) return reached;
  const eligible = requested.filter((a) => rank(a) <= rank(reached)).sort((a, b) => rank(b) - rank(a));
  return eligible[0] ?? null;
}

/** The level to step up to: the lowest one requested (any requested value will do). */
export function stepUpLevel(requested: readonly Acr[]): AssuranceLevel {
  const lowest = [...requested].sort((a, b) => rank(a) - rank(b))[0] ?? 'eidas1';
  return LEVEL_OF[lowest];
}
