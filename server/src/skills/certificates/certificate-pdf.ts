import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { formatMessage } from '../../../../common/src/i18n/format.ts';
import { DEFAULT_CUT_POINTS } from '../cat/index.ts';
import { areaName } from '../framework/framework.ts';
import { COMPETENCES } from '../framework/digcomp.ts';
import { localiseText, type SkillsLanguage } from '../items/localise.ts';
import type { CertificateClaims } from './certificate.ts';
import { longDateFormat } from '../../../../common/src/i18n/long-date.ts';

/**
 * The certificate as a one- or two-page tagged PDF (pdfkit, DejaVu Sans embedded: French and
 * Québec names print whole), in the agent's language, with the document's language and title set
 * for screen readers.
 */
const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
let fonts: { regular: Buffer; bold: Buffer } | null = null;
function loadFonts() {
  fonts ??= { regular: readFileSync(join(FONT_DIR, 'DejaVuSans.ttf')), bold: readFileSync(join(FONT_DIR, 'DejaVuSans-Bold.ttf')) };
  return fonts;
}

/**
 * Whether French elides « que » before this name (« qu’Émilie », « qu’Yves »): it starts with a
 * vowel, accented or not. Not before an h: whether it is mute depends on the word, which a rule
 * cannot tell, so « que » stays there.
 */
export function elidesBefore(name: string): boolean {
  const first = name.trimStart().normalize('NFD').charAt(0).toLowerCase();
  return /^[aeiouyæœ]$/.test(first);
}

/** The width of one level on the test's scale (θ): the mean distance between the cut points. */
const LEVEL_WIDTH = ((DEFAULT_CUT_POINTS.at(-1) ?? 0) - (DEFAULT_CUT_POINTS[0] ?? 0)) / (DEFAULT_CUT_POINTS.length - 1);

const TEXT = '#1a1a1a';
const HEADING = '#1f3864';
const MARGIN = 56.7;

export async function renderCertificatePdf(claims: CertificateClaims, language: SkillsLanguage): Promise<Buffer> {
  const t = (key: string, values?: Record<string, string | number>) => formatMessage(language, `skillsCertificate.${key}`, values);
  const date = (iso: string) => longDateFormat(language, { timeZone: 'UTC' }).format(new Date(iso));
  // Decimals in the language's own way: « 0,36 » in French, “0.36” in English.
  const decimal = (value: number, digits: number) => new Intl.NumberFormat(language, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  const title = t('title');
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, lang: language, displayTitle: true, tagged: true, info: { Title: title, Author: 'Entente' }, pdfVersion: '1.7' });
  const { regular, bold } = loadFonts();
  doc.registerFont('Sans', regular);
  doc.registerFont('Sans-Bold', bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const name = `${claims.subject.givenName} ${claims.subject.familyName}`.trim();
  doc.font('Sans-Bold').fontSize(20).fillColor(HEADING).text(title);
  doc.moveDown(0.8);
  const intro = language !== 'en' && elidesBefore(name) ? 'introElided' : 'intro';
  doc.font('Sans').fontSize(11).fillColor(TEXT).text(t(intro, { name, organisation: claims.organisation?.name ?? '—', date: date(claims.assessedAt) }));
  doc.moveDown(0.8);
  doc.font('Sans-Bold').fontSize(14).fillColor(HEADING).text(t('overall', { level: claims.overallLevel }));
  doc.moveDown(0.6);
  doc.font('Sans-Bold').fontSize(12).text(t('areas'));
  doc.moveDown(0.3);
  for (const area of claims.areas) {
    const level = area.level === null ? t('notMeasured') : `${area.level} / 8`;
    doc.font('Sans').fontSize(10.5).fillColor(TEXT).text(`${area.area}. ${areaName(area.area, language)} — ${t('level')} ${level}`);
  }
  if (claims.competences.length > 0) {
    doc.moveDown(0.6);
    doc.font('Sans-Bold').fontSize(12).fillColor(HEADING).text(t('competences'));
    doc.moveDown(0.3);
    for (const c of claims.competences) {
      const known = COMPETENCES.find((k) => k.id === c.competence);
      const label = known ? `${c.competence} ${localiseText(known.name, language)}` : c.competence;
      doc.font('Sans').fontSize(10).fillColor(TEXT).text(`${label} — ${t('level')} ${c.level ?? t('notMeasured')}`);
    }
  }
  doc.moveDown(0.8);
  doc.font('Sans').fontSize(9).fillColor('#444444');
  doc.text(t('framework'));
  doc.text(t('method', { answered: claims.answered }));
  // The standard error is the posterior SD of θ, the test's scale, not a number of levels: say so, and how many levels it makes.
  doc.text(t('precision', { se: decimal(claims.standardError, 2), width: decimal(LEVEL_WIDTH, 2), levels: decimal(claims.standardError / LEVEL_WIDTH, 1) }));
  doc.text(t('reference', { id: claims.assessmentId }));
  doc.text(t('issuer', { jurisdiction: claims.jurisdiction, date: date(new Date().toISOString()) }));
  doc.text(t('verifiable'));
  doc.end();
  return done;
}
