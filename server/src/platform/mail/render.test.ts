import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../../../common/src/i18n/locales.ts';
import { MailParamsError, UnknownMailTemplateError } from './errors.ts';
import { renderMail } from './render.ts';
import { MAIL_TEMPLATES } from './templates.ts';

const context = { publicUrl: new URL('https://entente.example.org') };

describe('renderMail', () => {
  it('renders the test mail in French, with signature and footer', () => {
    const mail = renderMail('test', 'fr-FR', { name: 'Camille' }, context);
    expect(mail.subject).toBe('Message de test d’Entente');
    expect(mail.text).toContain('Bonjour Camille,');
    expect(mail.text).toContain('\n-- \nL’équipe Entente\n');
    expect(mail.text).toContain('(https://entente.example.org/)');
    expect(mail.html).toContain('<html lang="fr-FR">');
    expect(mail.html).toContain('<title>Message de test d’Entente</title>');
    expect(mail.html).toContain('<p>Bonjour Camille,</p>');
  });

  it('uses Québec usage in fr-CA and English in en', () => {
    expect(renderMail('test', 'fr-CA', { name: 'Léa' }, context).subject).toBe('Courriel de test d’Entente');
    const en = renderMail('welcome', 'en', { name: 'Sam', url: 'https://entente.example.org/login' }, context);
    expect(en.subject).toBe('Welcome to Entente, Sam');
    expect(en.text).toContain('go to https://entente.example.org/login');
    expect(en.text).toContain('The Entente team');
  });

  it('escapes parameters in the HTML, keeps them as typed in the text', () => {
    const name = '<script>alert("x")</script> & Cie';
    const mail = renderMail('test', 'fr-FR', { name }, context);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Bonjour &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cie,');
    expect(mail.text).toContain(`Bonjour ${name},`);
  });

  it('keeps the subject on one line whatever the parameters hold', () => {
    const mail = renderMail('welcome', 'fr-FR', { name: 'Camille\r\nBcc: someone@example.org', url: 'https://x.example' }, context);
    expect(mail.subject).toBe('Bienvenue dans Entente, Camille Bcc: someone@example.org');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it('refuses unknown templates and missing or unexpected parameters', () => {
    expect(() => renderMail('nope', 'fr-FR', {}, context)).toThrow(UnknownMailTemplateError);
    expect(() => renderMail('toString', 'fr-FR', {}, context)).toThrow(UnknownMailTemplateError);
    expect(() => renderMail('welcome', 'fr-FR', { name: 'A' }, context)).toThrow(MailParamsError);
    expect(() => renderMail('test', 'fr-FR', { name: 'A', extra: 1 }, context)).toThrow(MailParamsError);
  });

  it('renders every template in every locale from the catalog (no raw key left)', () => {
    for (const [template, definition] of Object.entries(MAIL_TEMPLATES)) {
      const params = Object.fromEntries(definition.params.map((name) => [name, `value-of-${name}`]));
      for (const locale of LOCALES) {
        const mail = renderMail(template, locale, params, context);
        for (const part of [mail.subject, mail.text, mail.html]) expect(part, `${template} ${locale}`).not.toMatch(/mail\.[a-z]/);
        for (const name of definition.params) expect(mail.text).toContain(`value-of-${name}`);
      }
    }
  });
});
