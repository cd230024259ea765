import type { PiiCategory } from '../categories.ts';
import { addressRecogniser } from './address.ts';
import { type AgentName, type AgentNameIndex, agentNameRecogniser, compileAgentNames } from './agent-names.ts';
import { driverLicenceQcRecogniser } from './driver-licence-qc.ts';
import { emailRecogniser } from './email.ts';
import { ibanRecogniser } from './iban.ts';
import { nirRecogniser } from './nir.ts';
import { paymentCardRecogniser } from './payment-card.ts';
import { phoneFrRecogniser } from './phone-fr.ts';
import { phoneNanpRecogniser } from './phone-nanp.ts';
import { ramqRecogniser } from './ramq.ts';
import type { Recogniser } from './recogniser.ts';
import { sinRecogniser } from './sin.ts';
import { sirenRecogniser, siretRecogniser } from './siren.ts';
import { spiRecogniser } from './spi.ts';

/**
 * The recognisers of each category, in the order that breaks a last tie (same priority, same span,
 * no context either way): the NAS before the SIREN (same shape), the SIRET before a 14-digit card.
 */
const STATIC: readonly Recogniser[] = [
  emailRecogniser,
  ibanRecogniser,
  nirRecogniser,
  spiRecogniser,
  sinRecogniser,
  siretRecogniser,
  sirenRecogniser,
  paymentCardRecogniser,
  ramqRecogniser,
  phoneFrRecogniser,
  phoneNanpRecogniser,
  driverLicenceQcRecogniser,
  addressRecogniser,
];

export function recognisersFor(categories: ReadonlySet<PiiCategory>, agents: AgentNameIndex | readonly AgentName[] | undefined): Recogniser[] {
  const list = STATIC.filter((r) => categories.has(r.category));
  if (categories.has('person') && agents) {
    const index = Array.isArray(agents) ? compileAgentNames(agents as readonly AgentName[]) : (agents as AgentNameIndex);
    list.push(agentNameRecogniser(index));
  }
  return list;
}

export type { AgentName, AgentNameIndex } from './agent-names.ts';
export { compileAgentNames } from './agent-names.ts';
export type { Finding, Recogniser } from './recogniser.ts';
