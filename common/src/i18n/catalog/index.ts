/**
 * The message catalog: every namespace file merged into one flat table per locale.
 *
 * A namespace file (`ui.ts`, `errors.ts`, `mail.ts`) exports `{ 'fr-FR', 'fr-CA', en }`, each a
 * flat record of ICU MessageFormat strings whose keys start with the namespace’s name. fr-FR and
 * en are complete; fr-CA holds only Québec overrides and is laid over fr-FR here.
 * `catalog.test.ts` enforces all of this.
 */
import type { Locale } from '../locales.ts';
import { account } from './account.ts';
import { admin } from './admin.ts';
import { auth } from './auth.ts';
import { errors } from './errors.ts';
import { files } from './files.ts';
import { mail } from './mail.ts';
import { oidc } from './oidc.ts';
import { ui } from './ui.ts';
import { workspace } from './workspace.ts';

export type MessageTable = Readonly<Record<string, string>>;

/** The shape of one namespace file. */
export interface CatalogNamespace {
  readonly 'fr-FR': MessageTable;
  readonly 'fr-CA': MessageTable;
  readonly en: MessageTable;
}

/** The namespace files, by name; each key of a namespace starts with `<name>.`. */
export const namespaces: Readonly<Record<string, CatalogNamespace>> = { ui, errors, mail, auth, account, oidc, admin, workspace, files };

function merge(locale: Locale): Record<string, string> {
  const table: Record<string, string> = {};
  for (const namespace of Object.values(namespaces)) {
    Object.assign(table, namespace[locale]);
  }
  return table;
}

const frFR = merge('fr-FR');

/** Every message of every namespace, per locale; fr-CA is fr-FR overlaid with Québec overrides. */
export const messages: Readonly<Record<Locale, MessageTable>> = {
  'fr-FR': frFR,
  'fr-CA': { ...frFR, ...merge('fr-CA') },
  en: merge('en'),
};
