import type { FastifyInstance } from 'fastify';
import { LOCALE_COOKIE, type Locale, negotiateLocale } from '../../../../common/src/i18n/locales.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The language of this request's messages: the `entente_lang` cookie, else Accept-Language. */
    locale: Locale;
  }
}

export function registerLocale(app: FastifyInstance): void {
  app.decorateRequest('locale', 'fr-FR');
  app.addHook('onRequest', async (request) => {
    request.locale = negotiateLocale(request.headers['accept-language'], request.cookies?.[LOCALE_COOKIE]);
  });
}
