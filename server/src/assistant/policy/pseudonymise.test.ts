import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { card, groupIban, groupNir, groupSpi, iban, nir, sin, siren, siret, spi } from '../../../test/support/personal-numbers.ts';
import { detectionDecision, piiAuditDetails, redactionDecision } from './decision.ts';
import { PseudonymMapping } from './mapping.ts';
import { compileAgentNames, findPersonalData, pseudonymise, restore } from './index.ts';

const agents = compileAgentNames([
  { givenName: 'Camille', familyName: 'Martin' },
  { givenName: 'Jean', familyName: 'Dupont' },
  { givenName: 'Marie-Ève', familyName: 'Tremblay' },
  { givenName: 'Louis', familyName: 'Gagnon' },
]);

// ── a French paragraph: a mission expenses claim ──
const NIR = nir('2850578006084');
const SPI = spi('1234567890');
const IBAN = iban('FR', '30006000011234567890189');
const SIRET = siret(siren('73282932'), '0007');
const FR = `Objet : demande de remboursement de frais de mission — dossier n° 2026-0457

Madame, Monsieur,

Je soussignée Camille Martin, attachée d'administration à la direction interministérielle du numérique, domiciliée 20 bis, rue de Ségur 75007 Paris, sollicite le remboursement des frais engagés lors de la mission du 12 au 14 mars 2026 à Québec, pour un montant de 1 245,50 €. Mon numéro de sécurité sociale est le ${groupNir(NIR)} et mon numéro fiscal le ${groupSpi(SPI)}. Merci d'effectuer le virement sur le compte ${groupIban(IBAN)}. Pour toute question, vous pouvez me joindre au 06 12 34 56 78 ou à camille.martin@numerique.gouv.fr.

Conformément à l'article L. 1234-5 du code du travail et au décret n° 2006-781 du 3 juillet 2006, la demande est transmise dans le délai de 30 jours. L'hôtel (SIRET ${SIRET.slice(0, 3)} ${SIRET.slice(3, 6)} ${SIRET.slice(6, 9)} ${SIRET.slice(9)}) a facturé 312,00 € HT. Copie : Jean Dupont, 01 40 15 80 00.`;

const FR_EXPECTED = `Objet : demande de remboursement de frais de mission — dossier n° 2026-0457

Madame, Monsieur,

Je soussignée [PERSONNE_1], attachée d'administration à la direction interministérielle du numérique, domiciliée [ADRESSE_1], sollicite le remboursement des frais engagés lors de la mission du 12 au 14 mars 2026 à Québec, pour un montant de 1 245,50 €. Mon numéro de sécurité sociale est le [NIR_1] et mon numéro fiscal le [NUMERO_FISCAL_1]. Merci d'effectuer le virement sur le compte [IBAN_1]. Pour toute question, vous pouvez me joindre au [TELEPHONE_1] ou à [COURRIEL_1].

Conformément à l'article L. 1234-5 du code du travail et au décret n° 2006-781 du 3 juillet 2006, la demande est transmise dans le délai de 30 jours. L'hôtel (SIRET [SIRET_1]) a facturé 312,00 € HT. Copie : [PERSONNE_2], [TELEPHONE_2].`;

// ── a Québec paragraph: a letter about a claim file ──
const NAS = sin('13069254');
const CARD = card('450600000000000');
const QC = `Objet : votre dossier d'indemnisation — référence 2026-QC-0193

Bonjour Marie-Ève Tremblay,

À la suite de votre appel du 4 février 2026, nous avons mis à jour votre dossier. Nous avons bien reçu votre numéro d'assurance sociale (${NAS.slice(0, 3)} ${NAS.slice(3, 6)} ${NAS.slice(6)}) et votre numéro d'assurance maladie, TREM 8557 1412. Votre adresse de correspondance est désormais le 1037, rue De La Chevrotière, Québec (Québec) G1R 5E9. Nous vous joindrons au (418) 643-1344, poste 2231, ou par courriel à marie-eve.tremblay@exemple.qc.ca. Le montant de 2 350,75 $ sera versé dans les 10 jours ouvrables; les frais réglés avec la carte ${CARD.replace(/(\d{4})(?=\d)/g, '$1 ')} ne sont pas admissibles. Votre permis de conduire T6524-150688-05 doit être valide au 31 mars 2026, conformément à l'article 12 de la Loi sur l'assurance maladie (chapitre A-29).

Louis Gagnon, agent d'indemnisation — 1 800 463-4776`;

const QC_EXPECTED = `Objet : votre dossier d'indemnisation — référence 2026-QC-0193

Bonjour [PERSONNE_1],

À la suite de votre appel du 4 février 2026, nous avons mis à jour votre dossier. Nous avons bien reçu votre numéro d'assurance sociale ([NAS_1]) et votre numéro d'assurance maladie, [RAMQ_1]. Votre adresse de correspondance est désormais le [ADRESSE_1]. Nous vous joindrons au [TELEPHONE_1], poste 2231, ou par courriel à [COURRIEL_1]. Le montant de 2 350,75 $ sera versé dans les 10 jours ouvrables; les frais réglés avec la carte [CARTE_PAIEMENT_1] ne sont pas admissibles. Votre permis de conduire [PERMIS_CONDUIRE_1] doit être valide au 31 mars 2026, conformément à l'article 12 de la Loi sur l'assurance maladie (chapitre A-29).

[PERSONNE_2], agent d'indemnisation — [TELEPHONE_2]`;

describe('pseudonymise and restore', () => {
  it('replaces every identifier of a French administrative letter, and only those', () => {
    const { text, mapping } = pseudonymise(FR, { agents });
    expect(text).toBe(FR_EXPECTED);
    for (const secret of [NIR, SPI, IBAN, SIRET, '0612345678', 'camille.martin', 'Martin', 'Ségur', '75007']) expect(text.replace(/\s/g, '')).not.toContain(secret);
    expect(restore(text, mapping)).toBe(FR);
    expect(mapping.valueOf('[NIR_1]')).toBe(groupNir(NIR));
  });

  it('replaces every identifier of a Québec letter, and only those', () => {
    const { text, mapping } = pseudonymise(QC, { agents });
    expect(text).toBe(QC_EXPECTED);
    for (const secret of [NAS, CARD, 'TREM', '6431344', 'Chevrotière', 'G1R', 'Tremblay', 'Gagnon', 'T6524']) expect(text.replace(/[\s-]/g, '')).not.toContain(secret);
    expect(restore(text, mapping)).toBe(QC);
  });

  it("restores a model's answer that reuses the placeholders", () => {
    const { mapping } = pseudonymise(FR, { agents });
    const answer = 'Résumé : [PERSONNE_1] ([NIR_1]) demande le remboursement sur [IBAN_1] ; réponse à [COURRIEL_1]. Voir aussi [NIR_9] et [1].';
    expect(restore(answer, mapping)).toBe(
      `Résumé : Camille Martin (${groupNir(NIR)}) demande le remboursement sur ${groupIban(IBAN)} ; réponse à camille.martin@numerique.gouv.fr. Voir aussi [NIR_9] et [1].`,
    );
  });

  it('gives one placeholder per value however it is written, across the messages of a request', () => {
    const mapping = new PseudonymMapping();
    const first = pseudonymise(`NIR ${groupNir(NIR)}, tél. 06 12 34 56 78, Camille Martin`, { agents, mapping });
    const second = pseudonymise(`Rappel : ${NIR} ; +33 6 12 34 56 78 ; MARTIN Camille ; Mme Martin ; autre NIR ${nir('1690799350045')}`, { agents, mapping });
    expect(first.text).toBe('NIR [NIR_1], tél. [TELEPHONE_1], [PERSONNE_1]');
    expect(second.text).toBe('Rappel : [NIR_1] ; [TELEPHONE_1] ; [PERSONNE_1] ; Mme [PERSONNE_1] ; autre NIR [NIR_2]');
    // Restored under the first writing of each value; a person under the fullest name seen.
    expect(restore('[PERSONNE_1], [NIR_1], [TELEPHONE_1]', mapping)).toBe(`Camille Martin, ${groupNir(NIR)}, 06 12 34 56 78`);
    expect(mapping.counts()).toEqual([
      { category: 'nir', occurrences: 3, distinct: 2 },
      { category: 'phone', occurrences: 2, distinct: 1 },
      { category: 'person', occurrences: 3, distinct: 1 },
    ]);
  });

  it('never hands out a placeholder already written in the text, and never restores one it did not make', () => {
    const { text, mapping } = pseudonymise(`Le gabarit dit « [NIR_1] » ; le vrai : ${NIR}`);
    expect(text).toBe('Le gabarit dit « [NIR_1] » ; le vrai : [NIR_2]');
    expect(restore(text, mapping)).toBe(`Le gabarit dit « [NIR_1] » ; le vrai : ${NIR}`);
  });

  it('redacts only the categories asked for', () => {
    const { text } = pseudonymise(`Camille Martin, ${NIR}, camille.martin@numerique.gouv.fr`, { agents, categories: ['email'] });
    expect(text).toBe(`Camille Martin, ${NIR}, [COURRIEL_1]`);
    expect(() => pseudonymise('x', { categories: ['passport' as never] })).toThrow(/unknown personal-data category/);
  });

  it('resolves overlaps: the longer SIRET over the SIREN inside it, the named reading of ambiguous digits', () => {
    const s = siren('73282932');
    const spaced = `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6)}`;
    const t = siret(s, '0007');
    expect(pseudonymise(`SIRET ${spaced} ${t.slice(9)} et SIREN ${spaced}`).text).toBe('SIRET [SIRET_1] et SIREN [SIREN_1]');
    // The same nine digits read as a SIREN after « SIREN », as a NAS after « NAS », a NAS by default.
    const both = sin('27345678');
    const spacedBoth = `${both.slice(0, 3)} ${both.slice(3, 6)} ${both.slice(6)}`;
    expect(pseudonymise(`SIREN : ${spacedBoth}`).text).toBe('SIREN : [SIREN_1]');
    expect(pseudonymise(`NAS : ${spacedBoth}`).text).toBe('NAS : [NAS_1]');
    expect(pseudonymise(`Le numéro ${spacedBoth}`).text).toBe('Le numéro [NAS_1]');
    expect(pseudonymise(`NAS ${spacedBoth} et SIREN ${spacedBoth.replace(/^\d/, '3')}`, { categories: ['sin'] }).text).toMatch(/^NAS \[NAS_1\] et SIREN/);
    // An address holding an agent's name is one address.
    expect(pseudonymise('Écrire au 12 rue Camille Martin 69003 Lyon', { agents }).text).toBe('Écrire au [ADRESSE_1]');
    expect(findPersonalData(FR, { agents }).every((f, i, all) => i === 0 || (all[i - 1] as { end: number }).end <= f.start)).toBe(true);
  });

  it('records the decision without any value', () => {
    const { mapping } = pseudonymise(`${FR}\n${QC}`, { agents });
    const decision = redactionDecision(mapping, ['nir', 'email']);
    expect(decision.outcome).toBe('redacted');
    const details = piiAuditDetails(decision);
    expect(details).toMatchObject({ pii_outcome: 'redacted', pii_nir: 1, pii_email: 2, pii_person: 4, pii_phone: 4, pii_categories: 'nir,email' });
    const serialised = JSON.stringify({ decision, details, mapping }) + inspect(mapping) + String(mapping);
    for (const secret of [NIR, 'camille', 'Martin', 'TREM', 'Chevrotière', groupNir(NIR)]) expect(serialised).not.toContain(secret);
    expect(JSON.stringify(mapping)).toBe(`"[pseudonym mapping: ${mapping.size} entries]"`);

    expect(redactionDecision(pseudonymise('Bonjour, rien à signaler.').mapping, ['nir']).outcome).toBe('allowed');
    const detected = detectionDecision([FR], { agents });
    expect(detected.outcome).toBe('allowed');
    expect(detected.found.find((c) => c.category === 'person')).toEqual({ category: 'person', occurrences: 2, distinct: 2 });
  });
});
