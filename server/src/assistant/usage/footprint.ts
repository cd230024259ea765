import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';

/**
 * Footprint estimate of a request: energy = tokens × the model's `footprint.whPer1kTokens`;
 * emissions = energy × the grid intensity where the provider runs (`gco2ePerKwh`, by default its
 * jurisdiction's below). An estimate with the operator's factors, not a measurement: a model
 * without a factor counts 0 Wh (docs/ai.md, « Usage et empreinte »).
 *
 * Default grid intensities (gCO2e/kWh, life-cycle of electricity consumed):
 * - FR ≈ 52: ADEME, Base Empreinte, « Électricité - 2022 - mix moyen - consommation » (France continentale).
 * - QC ≈ 1.7: Hydro-Québec, « Taux d'émission de GES de l'électricité » (2019–2023 average, ~1.7 g/kWh).
 */
export const DEFAULT_GRID_INTENSITY: Record<Jurisdiction, number> = { FR: 52, QC: 1.7 };

export function footprintOf(
  tokens: number,
  whPer1kTokens: number | null | undefined,
  gridGco2ePerKwh: number | null | undefined,
  jurisdiction: Jurisdiction | null,
): { energyWh: number; emissionsGco2e: number } {
  if (!whPer1kTokens || tokens <= 0) return { energyWh: 0, emissionsGco2e: 0 };
  const energyWh = (tokens / 1000) * whPer1kTokens;
  const intensity = gridGco2ePerKwh ?? (jurisdiction ? DEFAULT_GRID_INTENSITY[jurisdiction] : 0);
  return { energyWh, emissionsGco2e: (energyWh / 1000) * intensity };
}
