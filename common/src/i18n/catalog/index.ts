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
import { exportsMessages } from './exports.ts'; // ── exports (helper E) ──
import { files } from './files.ts';
import { mail } from './mail.ts';
import { oidc } from './oidc.ts';
import { ui } from './ui.ts';
import { skillsCertificate } from './skills-certificate.ts'; // skills certificate and CSV (server)
import { workspace } from './workspace.ts';
import { sharing } from './sharing.ts'; // share links (helper S)
import { notifications } from './notifications.ts'; // notifications (helper N)
import { search } from './search.ts'; // full-text search (helper Q)
import { comments } from './comments.ts'; // comments (helper C)
import { imports } from './imports.ts'; // document imports (helper I)
import { aiGateway } from './ai-gateway.ts'; // AI gateway (helper E1)
import { assistant } from './assistant.ts'; // assistant retrieval (helper E3)
import { aiPolicy, classification } from './ai-policy.ts'; // classification & residency (helper B)
import { aiActions } from './ai-actions.ts'; // editor AI actions (helper D2)
import { aiQuota } from './ai-quota.ts'; // AI quotas (helper A)
import { aiUsage } from './ai-usage.ts'; // AI usage (helper A)
import { assistantAsk } from './assistant-ask.ts'; // hybrid retrieval and generated answers (helper E)
import { aiDashboard } from './ai-dashboard.ts'; // AI usage dashboards (helper C)
import { aiRegister } from './ai-register.ts'; // AI register (helper C)
import { assistantPanel } from './assistant-panel.ts'; // ── assistant panel (helper D1) ──
import { skills } from './skills.ts'; // digital skills pages (helper W)
import { skillsAuthoring } from './skills-authoring.ts'; // item bank and organisation framework authoring
import { credentialsVerifier } from './credentials-verifier.ts'; // credential verifier's verdicts (issue 9)
import { credentials } from './credentials.ts'; // verifiable attestations: wallet and verifier pages (issue 9)

export type MessageTable = Readonly<Record<string, string>>;

/** The shape of one namespace file. */
export interface CatalogNamespace {
  readonly 'fr-FR': MessageTable;
  readonly 'fr-CA': MessageTable;
  readonly en: MessageTable;
}

/** The namespace files, by name; each key of a namespace starts with `<name>.`. */
export const namespaces: Readonly<Record<string, CatalogNamespace>> = { ui, errors, mail, auth, account, oidc, admin, workspace, files, notifications, exports: exportsMessages, sharing, search, comments, imports, aiGateway, assistant, aiQuota, aiUsage /* helper A */, assistantAsk /* helper E */, assistantPanel /* helper D1 */, aiActions /* editor AI actions (helper D2) */, aiDashboard, aiRegister /* AI usage dashboards and register (helper C) */, aiPolicy, classification /* helper B */, skills /* digital skills pages (helper W) */, skillsAuthoring, skillsCertificate, credentials /* verifiable attestations (issue 9) */, credentialsVerifier /* verifier's verdicts (issue 9) */ };

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
