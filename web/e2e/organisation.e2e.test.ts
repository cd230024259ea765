import { expect, it } from 'vitest';
import { DEMO_AGENTS, DEMO_ORGANISATIONS } from '../../server/src/identity/demo-data.ts';
import { registerOrganisation } from '../../server/src/identity/organisations.ts';
import { upsertMembership } from '../../server/src/identity/principals.repo.ts';
import { uuidv7 } from '../../server/src/platform/ids.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
const QC = DEMO_ORGANISATIONS[2];

describeInBrowser('« Mon organisation » and « Exploitation »', () => {
  const suite = browserSuite();

  it('an administrator grants trainer to a colleague and creates a team, on an accessible page', async () => {
    const context = await suite.signedInContext(emilie);
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      await tab.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Mon organisation' }).click();
      await tab.waitForURL(`**/organisation/${QC.id}`);
      await tab.getByRole('heading', { level: 1, name: QC.name }).waitFor();
      await tab.getByRole('heading', { level: 3, name: 'Olivier Gagnon' }).waitFor();
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      const roles = tab.getByRole('group', { name: 'Rôles d’Olivier Gagnon' });
      await roles.getByRole('checkbox', { name: 'Formation' }).check();
      await tab.getByRole('button', { name: 'Enregistrer les rôles d’Olivier Gagnon' }).click();
      await expect.poll(() => tab.getByRole('status').first().textContent()).toBe('Rôles d’Olivier Gagnon enregistrés.');
      const members = (await (await fetch(`${suite.app.baseUrl}/api/organisations/${QC.id}/members`, { headers: { cookie: (await suite.app.signIn(emilie)).cookie } })).json()) as {
        members: { principalId: string; roles: string[] }[];
      };
      expect(members.members.find((x) => x.principalId === olivier.id)?.roles).toEqual(['member', 'trainer']);
      // The administrator cannot take their own administrator role away (another one can).
      expect(await tab.getByRole('group', { name: 'Rôles d’Émilie Tremblay' }).getByRole('checkbox', { name: 'Administration de l’organisation' }).isDisabled()).toBe(true);
      // Nor remove themselves: no such button on their own card.
      await tab.getByRole('button', { name: 'Retirer Olivier Gagnon de l’organisation' }).waitFor();
      expect(await tab.getByRole('button', { name: 'Retirer Émilie Tremblay de l’organisation' }).count()).toBe(0);

      await tab.getByLabel('Nom de l’équipe', { exact: true }).fill('Cybersécurité');
      await tab.getByRole('button', { name: 'Créer l’équipe' }).click();
      await tab.getByRole('heading', { level: 3, name: 'Cybersécurité' }).waitFor();
      await tab.getByLabel('Ajouter à l’équipe « Cybersécurité »').selectOption({ label: 'Olivier Gagnon' });
      await tab.getByLabel('comme responsable').check();
      await tab.getByRole('button', { name: 'Ajouter', exact: true }).click();
      await tab.getByRole('button', { name: 'Retirer la responsabilité d’Olivier Gagnon' }).waitFor();
      // A duplicate name is refused, with the reason said in words next to the field, which takes
      // the focus (it was said at the top of the page, far above); the name typed stays to be fixed.
      const teamName = tab.getByLabel('Nom de l’équipe', { exact: true });
      await teamName.fill('cybersécurité');
      await tab.getByRole('button', { name: 'Créer l’équipe' }).click();
      const fieldError = tab.locator('.admin-field-error');
      await expect.poll(() => fieldError.textContent()).toBe('Ce nom est déjà pris (sans tenir compte des majuscules) : choisissez-en un autre.');
      expect(await teamName.evaluate((input) => input === document.activeElement)).toBe(true);
      expect(await teamName.getAttribute('aria-invalid')).toBe('true');
      expect(await teamName.getAttribute('aria-describedby')).toContain(await fieldError.getAttribute('id'));
      expect(await teamName.inputValue()).toBe('cybersécurité');
      expect(await tab.locator('.admin-alert').textContent()).toBe('');
      // Blank: said by Entente in the page's language, not by a browser bubble.
      await teamName.fill('   ');
      await tab.getByRole('button', { name: 'Créer l’équipe' }).click();
      await expect.poll(() => fieldError.textContent()).toBe('Ce champ est obligatoire.');
      // A name at the limit, unbroken, wraps in its card: the page does not widen past the window.
      await teamName.fill('T'.repeat(100));
      await tab.getByRole('button', { name: 'Créer l’équipe' }).click();
      await tab.getByRole('heading', { level: 3, name: 'T'.repeat(100) }).waitFor();
      expect(await tab.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(tab.viewportSize()?.width ?? 1280);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.screenshot({ path: '/tmp/org.png', fullPage: true });

      // Removing a member asks first; Escape cancels and gives focus back to the button.
      const remove = tab.getByRole('button', { name: 'Retirer Olivier Gagnon de l’organisation' });
      await remove.click();
      const dialog = tab.getByRole('dialog', { name: 'Retirer Olivier Gagnon de l’organisation ?' });
      await dialog.waitFor();
      expect(await tab.evaluate(() => document.activeElement?.textContent)).toBe('Annuler');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      expect(await remove.evaluate((button) => button === document.activeElement)).toBe(true);
      expect((await suite.app.entente.stores.control.db.selectFrom('memberships').select('principal_id').where('principal_id', '=', olivier.id).execute()).length).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('a member without a role sees no administration link, and another organisation’s page is refused', async () => {
    const context = await suite.signedInContext(hugo);
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      expect(await tab.getByRole('navigation', { name: 'Administration' }).count()).toBe(0);
      const other = await openPage(context, suite.app.baseUrl, `/organisation/${QC.id}`);
      await expect.poll(() => other.getByRole('alert').textContent()).toContain('réservée aux membres');
    } finally {
      await context.close();
    }
  });

  it('an operator confirms an organisation created at a sign-in', async () => {
    const pending = await registerOrganisation(suite.app.entente.stores, {
      id: uuidv7(),
      name: 'Commune d’Essai (démo à confirmer)',
      jurisdiction: 'FR',
      siret: '13002526500013',
      neq: null,
      emailDomains: ['essai.demo-gouv-fr.test'],
      demo: false,
      confirmed: false,
    });
    const context = await suite.signedInContext(camille);
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      await tab.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Exploitation' }).click();
      await tab.waitForURL('**/exploitation');
      await tab.getByRole('heading', { level: 3, name: pending.name }).waitFor();
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.getByRole('button', { name: `Confirmer ${pending.name}` }).click();
      await expect.poll(() => tab.getByRole('status').first().textContent()).toBe(`« ${pending.name} » est confirmée.`);
      await tab.getByText('Aucune organisation en attente.').waitFor();
      const row = await suite.app.entente.stores.control.db.selectFrom('organisations').select('confirmed').where('id', '=', pending.id).executeTakeFirstOrThrow();
      expect(row.confirmed).toBe(true);

      // Disable an agent by id: their session stops working at once; then enable them again.
      const hugoSession = await suite.app.signIn(hugo);
      await tab.getByLabel('Identifiant de l’agent').fill(hugo.id);
      await tab.getByRole('button', { name: 'Désactiver l’agent' }).click();
      // It asks first: cancelling changes nothing.
      const dialog = tab.getByRole('dialog', { name: 'Désactiver cet agent ?' });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain(hugo.id);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await dialog.getByRole('button', { name: 'Annuler' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect((await fetch(`${suite.app.baseUrl}/api/me`, { headers: { cookie: hugoSession.cookie } })).status).toBe(200);
      await tab.getByRole('button', { name: 'Désactiver l’agent' }).click();
      await dialog.getByRole('button', { name: 'Désactiver', exact: true }).click();
      await expect.poll(() => tab.getByRole('status').first().textContent()).toContain('Agent désactivé');
      expect((await fetch(`${suite.app.baseUrl}/api/me`, { headers: { cookie: hugoSession.cookie } })).status).toBe(401);
      await tab.getByRole('button', { name: 'Réactiver l’agent' }).click();
      await expect.poll(() => tab.getByRole('status').first().textContent()).toBe('Agent réactivé.');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an agent administering two organisations gets a link to each', async () => {
    const [, dsne] = DEMO_ORGANISATIONS;
    await upsertMembership(suite.app.entente.stores.control.db, dsne.id, hugo.id, ['member', 'admin']);
    await upsertMembership(suite.app.entente.stores.control.db, QC.id, hugo.id, ['member', 'admin']);
    const context = await suite.signedInContext(hugo);
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      const nav = tab.getByRole('navigation', { name: 'Administration' });
      await nav.getByRole('link', { name: `Mon organisation : ${QC.name}` }).click();
      await tab.waitForURL(`**/organisation/${QC.id}`);
      expect(await nav.getByRole('link', { name: `Mon organisation : ${dsne.name}` }).getAttribute('href')).toBe(`/organisation/${dsne.id}`);
    } finally {
      await context.close();
    }
  });
});
