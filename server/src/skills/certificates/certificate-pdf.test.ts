import { describe, expect, it } from 'vitest';
import type { SkillsLanguage } from '../items/localise.ts';
import type { CertificateClaims } from './certificate.ts';
import { elidesBefore, renderCertificatePdf } from './certificate-pdf.ts';
import { pdfText } from './pdf-text.ts';

/** What the certificate says, in each language, read back from the PDF itself (QA findings). */
const claims = (over: Partial<CertificateClaims> = {}): CertificateClaims => ({
  assessmentId: '019ac9f0-0000-7000-8000-00000000a001',
  subject: { principalId: '019ac9f0-0000-7000-8000-00000000b001', givenName: 'Émilie', familyName: 'Tremblay' },
  organisation: { id: '019ac9f0-0000-7000-8000-00000000f003', name: 'Ministère de la Cybersécurité et du Numérique (démo)' },
  jurisdiction: 'QC',
  frameworkVersion: 'digcomp-2.2',
  assessedAt: '2026-03-05T10:00:00.000Z',
  overallLevel: 4,
  standardError: 0.36,
  answered: 32,
  areas: [{ area: '1', level: 4 }],
  competences: [{ competence: '1.1', level: 5 }],
  ...over,
});

/** The PDF's text as one line: lines wrapped by the layout joined again. */
async function text(language: SkillsLanguage, over: Partial<CertificateClaims> = {}): Promise<string> {
  return pdfText(await renderCertificatePdf(claims(over), language)).join(' ').replace(/ {2,}/g, ' ');
}

describe('the certificate PDF', () => {
  it('writes the precision with a decimal comma in French, a point in English, and says what it is', async () => {
    for (const language of ['fr-FR', 'fr-CA'] as const) {
      const fr = await text(language);
      expect(fr).toContain('Précision de la mesure : ±\u00a00,36 (écart type de l’estimation, sur l’échelle du test où un niveau couvre 0,75, soit environ ± 0,5 niveau).');
      expect(fr).not.toMatch(/0\.36|0\.75/);
    }
    const en = await text('en');
    expect(en).toContain('Measurement precision: ±\u00a00.36 (the standard deviation of the estimate, on the test’s scale where one level spans 0.75: about ± 0.5 of a level).');
  });

  it('elides « que » before a vowel in French (accented too), never before h, and not in English', async () => {
    expect(await text('fr-CA')).toContain('Entente atteste qu’Émilie Tremblay (Ministère');
    expect(await text('fr-FR', { subject: { principalId: 'x', givenName: 'Isabelle', familyName: 'Roy' } })).toContain('Entente atteste qu’Isabelle Roy');
    expect(await text('fr-FR', { subject: { principalId: 'x', givenName: 'Camille', familyName: 'Martin' } })).toContain('Entente atteste que Camille Martin');
    expect(await text('fr-FR', { subject: { principalId: 'x', givenName: 'Hugo', familyName: 'Lefèvre' } })).toContain('Entente atteste que Hugo Lefèvre');
    expect(await text('en')).toContain('Entente certifies that Émilie Tremblay');
    for (const name of ['Anne', 'émile', 'Èva', 'Êve', 'Inès', 'Île', 'Odile', 'Ôna', 'Ursule', 'Yves', 'Œnone', ' Ali']) expect(elidesBefore(name), name).toBe(true);
    for (const name of ['Hélène', 'Hugo', 'Camille', 'Zoé', '', '—']) expect(elidesBefore(name), name).toBe(false);
  });

  it('names the administration it is issued for, in each language', async () => {
    expect(await text('fr-CA')).toMatch(/Émise par Entente pour l’administration québécoise le \d/);
    expect(await text('fr-FR', { jurisdiction: 'FR' })).toMatch(/Émise par Entente pour l’administration française le \d/);
    expect(await text('en')).toMatch(/Issued by Entente for the Québec public administration on [A-Z]/);
    expect(await text('en', { jurisdiction: 'FR' })).toMatch(/Issued by Entente for the French public administration on [A-Z]/);
    expect(await text('fr-CA')).not.toContain('administration Québec');
  });

  it('is titled « Attestation de compétences numériques » in French', async () => {
    const pdf = await renderCertificatePdf(claims(), 'fr-FR');
    expect(pdfText(pdf)[0]).toBe('Attestation de compétences numériques');
    expect(pdfText(await renderCertificatePdf(claims(), 'en'))[0]).toBe('Digital skills certificate');
  });
});
