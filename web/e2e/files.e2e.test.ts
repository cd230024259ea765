import { readFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import type { BrowserContext, Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { clamdAvailable, EICAR, EICAR_SIGNATURE, startClamd, type TestClamd } from '../../server/test/support/clamd.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const agent = (givenName: string) => DEMO_AGENTS.find((a) => a.givenName === givenName) as Agent;
// Demo content (server/src/workspace/demo-content.ts): « Coopération France–Québec » (QC cell):
// Camille owns it, Olivier reads it. « Chantier cloud souverain » (FR cell): Olivier edits it.
const camille = agent('Camille');
const olivier = agent('Olivier');
const COOPERATION = '019ac9f0-0000-7000-8000-0000000e0001';
const CLOUD = '019ac9f0-0000-7000-8000-0000000e0002';
const filesUrl = (spaceId: string) => `/espaces/${spaceId}/fichiers`;

const MiB = 1024 * 1024;
// Small enough to be reached by a test, large enough for the two 9 MiB uploads below.
const SPACE_QUOTA = 40 * MiB;
const MAX_FILE = 12 * MiB;
// uploads.ts sends 8 MiB chunks: a 9 MiB file takes two PATCHes, the second one at this offset.
const CHUNK = 8 * MiB;

/** CRC-32 (ISO-HDLC), as PNG chunks carry it. */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A real PNG: `width`×`height` pixels of one colour. */
function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

/** Bytes no compressor or sniffer makes anything of: each test file is distinct. */
function noise(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

const queueItem = (tab: Page, name: string) => tab.locator(`.ws-files-queue-item[data-upload="${name}"]`);
const row = (tab: Page, name: string) => tab.locator('.ws-files-table tbody tr').filter({ has: tab.getByRole('rowheader', { name: new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }) });
const status = (tab: Page) => tab.locator('.ws-status').first();
const alert = (tab: Page) => tab.locator('.ws-alert').first();
/** Text with the no-break spaces of French typography and of Intl units made plain spaces. */
const plain = async (locator: Locator) => (await locator.textContent())?.replace(/\s/g, ' ') ?? null;
const activeLabel = (tab: Page) => tab.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');

/** Opens an item's « Actions » disclosure and chooses one of them. */
async function itemAction(tab: Page, item: string, action: string): Promise<void> {
  await tab.getByRole('button', { name: `Actions pour « ${item} »` }).click();
  await tab.getByRole('button', { name: action }).click();
}

async function openFiles(context: BrowserContext, baseUrl: string, spaceId: string): Promise<Page> {
  const tab = await openPage(context, baseUrl, filesUrl(spaceId));
  // Playwright intercepts the file picker only once a listener asks for it, without waiting for
  // the browser to confirm: listening from the start makes each later waitForEvent reliable.
  tab.on('filechooser', () => undefined);
  await tab.locator('.ws-files-quota').waitFor();
  return tab;
}

/** Drops files made in the page onto the list, as a desktop drag and drop does (`sizes` of zero bytes each, or text). */
async function dropFiles(tab: Page, files: { name: string; type: string; text?: string; size?: number }[]): Promise<void> {
  await tab.getByTestId('files-dropzone').evaluate((zone, list) => {
    const data = new DataTransfer();
    for (const file of list) data.items.add(new File([file.text ?? new Uint8Array(file.size ?? 0)], file.name, { type: file.type }));
    for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
  }, files);
}

async function bytesOfDownload(tab: Page, link: Locator): Promise<Buffer> {
  const [download] = await Promise.all([tab.waitForEvent('download'), link.click()]);
  const file = await download.path();
  return readFile(file);
}

/** Every request to the tus endpoint, to check what went over the wire (and what did not). */
function watchUploads(tab: Page): Request[] {
  const seen: Request[] = [];
  tab.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/uploads')) seen.push(request);
  });
  return seen;
}

describeInBrowser('Files of a space', () => {
  const suite = browserSuite({ env: { ENTENTE_SPACE_QUOTA_BYTES: String(SPACE_QUOTA), ENTENTE_MAX_FILE_BYTES: String(MAX_FILE) } });

  it('uploads two files by the button and one by a drop, with progress, a thumbnail and the quota; axe-clean', async () => {
    const context = await suite.signedInContext(camille);
    try {
      // From the space page, the « Fichiers » tab.
      const space = await openPage(context, suite.app.baseUrl, `/espaces/${COOPERATION}`);
      await space.getByRole('navigation', { name: 'Sections de l’espace' }).getByRole('link', { name: 'Fichiers' }).click();
      await space.waitForURL(`**${filesUrl(COOPERATION)}`);
      await space.close();

      const tab = await openFiles(context, suite.app.baseUrl, COOPERATION);
      expect(await tab.getByRole('navigation', { name: 'Sections de l’espace' }).getByRole('link', { name: 'Fichiers' }).getAttribute('aria-current')).toBe('page');
      await tab.getByText('Ce dossier est vide.', { exact: false }).waitFor();
      expect(await tab.title()).toContain('Fichiers — Coopération France–Québec');
      // The quota meters say used and limit, in French units.
      const spaceMeter = tab.getByLabel('Cet espace', { exact: true });
      expect(Number(await spaceMeter.getAttribute('max'))).toBe(SPACE_QUOTA);
      expect(await tab.locator('.ws-files-quota').textContent()).toMatch(/Utilisé : 0 octet sur 40\sMo/);
      expect(await tab.locator('.ws-files-quota').textContent()).toContain('Votre organisation (Ministère de la Transformation numérique (démo))');
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      const photo = png(320, 200, [31, 78, 156]);
      const notes = Buffer.from('Ordre du jour : souveraineté numérique, 31 mars 2026.\n', 'utf8');
      const requests = watchUploads(tab);
      const [chooser] = await Promise.all([tab.waitForEvent('filechooser'), tab.getByRole('button', { name: 'Ajouter des fichiers' }).click()]);
      expect(chooser.isMultiple()).toBe(true);
      await chooser.setFiles([
        { name: 'photo-réunion.png', mimeType: 'image/png', buffer: photo },
        { name: 'notes.txt', mimeType: 'text/plain', buffer: notes },
      ]);

      // Each file has its progress bar, labelled, with the percentage in words.
      for (const name of ['photo-réunion.png', 'notes.txt']) {
        const item = queueItem(tab, name);
        await expect.poll(() => item.locator('.ws-files-queue-state').textContent(), { timeout: 20_000 }).toBe('Terminé');
        const bar = tab.getByRole('progressbar', { name: `Envoi de « ${name} »` });
        expect(await bar.evaluate((element) => (element as HTMLProgressElement).value)).toBe(1);
        expect(await plain(item.locator('.ws-files-percent'))).toBe('100 %');
      }
      // tus: a creation and a PATCH per file, each with the CSRF token.
      expect(requests.filter((r) => r.method() === 'POST')).toHaveLength(2);
      for (const request of requests.filter((r) => r.method() !== 'GET')) expect(await request.headerValue('x-csrf-token')).toBeTruthy();

      await row(tab, 'notes.txt').waitFor();
      expect(await row(tab, 'notes.txt').locator('.ws-files-size').textContent()).toBe(`${notes.length} octets`);
      expect(await row(tab, 'notes.txt').textContent()).toContain('Camille Martin');
      // No clamd in this run: the files are said to be unscanned.
      expect(await row(tab, 'notes.txt').textContent()).toContain('Non analysé');

      // The image gets its thumbnail, served by the server as WebP and shown.
      const thumb = row(tab, 'photo-réunion.png').locator('img.ws-files-thumb');
      await thumb.waitFor({ timeout: 10_000 });
      await expect.poll(() => thumb.evaluate((image) => (image as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
      const thumbResponse = await context.request.get(new URL((await thumb.getAttribute('src')) ?? '', suite.app.baseUrl).href);
      expect(thumbResponse.headers()['content-type']).toBe('image/webp');

      // A drop of a file from the desktop onto the list uploads it too.
      await dropFiles(tab, [{ name: 'déposé.txt', type: 'text/plain', text: 'Déposé par glisser-déposer.' }]);
      await expect.poll(() => queueItem(tab, 'déposé.txt').locator('.ws-files-queue-state').textContent(), { timeout: 20_000 }).toBe('Terminé');
      await row(tab, 'déposé.txt').waitFor();
      await expect.poll(() => status(tab).textContent()).toBe('« déposé.txt » ajouté.');

      // The quota meter counts what was uploaded.
      await expect.poll(() => spaceMeter.getAttribute('value')).not.toBe('0');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.screenshot({ path: '/work/screens/files-uploaded.png', fullPage: true });

      // Sorting by size puts the largest file last, then first.
      await tab.getByRole('button', { name: /^Taille/ }).click();
      expect(await tab.locator('th[aria-sort]').textContent()).toContain('Taille');
      const names = () => tab.locator('.ws-files-table tbody .ws-files-file-name').allTextContents();
      expect((await names()).at(-1)).toBe('photo-réunion.png');
      await tab.getByRole('button', { name: /^Taille/ }).click();
      expect(await tab.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('descending');
      expect((await names())[0]).toBe('photo-réunion.png');
    } finally {
      await context.close();
    }
  });

  it('creates a folder, moves a file into it, renames it by keyboard, downloads it, restores a version, trashes and restores', async () => {
    const context = await suite.signedInContext(camille);
    try {
      const tab = await openFiles(context, suite.app.baseUrl, COOPERATION);
      await row(tab, 'notes.txt').waitFor();

      // A new folder; the same name again is refused in the dialog, which keeps what was typed.
      await tab.getByRole('button', { name: 'Nouveau dossier' }).click();
      const create = tab.getByRole('dialog', { name: 'Nouveau dossier dans « Fichiers »' });
      await create.getByLabel('Nom du dossier').fill('Comptes rendus');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await create.getByRole('button', { name: 'Créer le dossier' }).click();
      await tab.getByRole('link', { name: 'Comptes rendus' }).waitFor();
      await expect.poll(() => status(tab).textContent()).toBe('Dossier « Comptes rendus » créé.');
      await tab.getByRole('button', { name: 'Nouveau dossier' }).click();
      await create.getByLabel('Nom du dossier').fill('comptes rendus');
      await create.getByRole('button', { name: 'Créer le dossier' }).click();
      await create.locator('.ws-field-error').waitFor();
      expect(await create.locator('.ws-field-error').textContent()).toContain('Un élément porte déjà ce nom dans ce dossier');
      expect(await create.getByLabel('Nom du dossier').inputValue()).toBe('comptes rendus');
      expect(await create.getByLabel('Nom du dossier').getAttribute('aria-invalid')).toBe('true');
      await create.getByRole('button', { name: 'Annuler' }).click();

      // Move: a dialog to browse to the destination folder.
      await itemAction(tab, 'notes.txt', 'Déplacer « notes.txt »');
      const move = tab.getByRole('dialog', { name: 'Déplacer « notes.txt »' });
      await move.getByRole('button', { name: 'Comptes rendus' }).click();
      await expect.poll(() => move.locator('.ws-files-move-location').textContent()).toBe('Dossier de destination : Fichiers › Comptes rendus');
      // The keyboard lands on « Déplacer ici » once the folder is open.
      await expect.poll(() => activeLabel(tab)).toBe('Déplacer ici');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await move.getByRole('button', { name: 'Déplacer ici' }).click();
      await expect.poll(() => status(tab).textContent()).toBe('« notes.txt » déplacé dans « Comptes rendus ».');
      await expect.poll(() => row(tab, 'notes.txt').count()).toBe(0);

      // Into the folder: the breadcrumb says where we are.
      await tab.getByRole('link', { name: 'Comptes rendus' }).click();
      await tab.waitForURL(/\/fichiers\/[0-9a-f-]{36}$/);
      const crumbs = tab.getByRole('navigation', { name: 'Emplacement dans les fichiers' });
      await crumbs.getByText('Comptes rendus').waitFor();
      expect(await crumbs.locator('[aria-current="location"]').textContent()).toBe('Comptes rendus');
      await row(tab, 'notes.txt').waitFor();

      // Keyboard only: from the breadcrumb, Tab reaches « Ajouter des fichiers » (Enter opens the
      // file picker), then the file's « Actions » (Enter opens them on their first button), Tab to
      // « Renommer »; Enter, type, Enter renames, and the keyboard is back on the « Actions ».
      await crumbs.getByRole('link', { name: 'Fichiers' }).focus();
      const tabUntil = async (label: string, limit = 30) => {
        for (let i = 0; i < limit; i++) {
          await tab.keyboard.press('Tab');
          if ((await activeLabel(tab)) === label) return;
        }
        throw new Error(`Tab never reached « ${label} » (last: ${await activeLabel(tab)})`);
      };
      await tabUntil('Ajouter des fichiers');
      const [picker] = await Promise.all([tab.waitForEvent('filechooser'), tab.keyboard.press('Enter')]);
      await picker.setFiles([]);
      await tabUntil('Actions pour « notes.txt »');
      await tab.keyboard.press('Enter');
      await expect.poll(() => activeLabel(tab)).toBe('Versions de « notes.txt »');
      await tab.keyboard.press('Tab');
      expect(await activeLabel(tab)).toBe('Renommer « notes.txt »');
      await tab.keyboard.press('Enter');
      const rename = tab.getByRole('dialog', { name: 'Renommer « notes.txt »' });
      await rename.waitFor();
      expect(await tab.evaluate(() => document.activeElement?.id)).toBe(await rename.getByLabel('Nouveau nom').getAttribute('id'));
      // The name is selected up to its extension: typing replaces the stem.
      await tab.keyboard.type('compte-rendu-31-mars');
      await tab.keyboard.press('Enter');
      await expect.poll(() => status(tab).textContent()).toBe('« notes.txt » renommé en « compte-rendu-31-mars.txt ».');
      await expect.poll(() => activeLabel(tab)).toBe('Actions pour « compte-rendu-31-mars.txt »');

      // Download: the bytes uploaded, as an attachment with the name in RFC 6266 form.
      const original = Buffer.from('Ordre du jour : souveraineté numérique, 31 mars 2026.\n', 'utf8');
      const link = tab.getByRole('link', { name: 'Télécharger « compte-rendu-31-mars.txt »' });
      expect(await link.getAttribute('href')).toMatch(/download=1/);
      expect((await bytesOfDownload(tab, link)).equals(original)).toBe(true);
      const response = await context.request.get(new URL((await link.getAttribute('href')) ?? '', suite.app.baseUrl).href);
      expect(response.headers()['content-disposition']).toMatch(/^attachment;.*filename\*=UTF-8''compte-rendu-31-mars\.txt/);
      expect(response.headers()['x-content-type-options']).toBe('nosniff');

      // Versions: upload a second one, then restore the first; it comes back as version 3.
      await itemAction(tab, 'compte-rendu-31-mars.txt', 'Versions de « compte-rendu-31-mars.txt »');
      const versions = tab.getByRole('dialog', { name: 'Versions de « compte-rendu-31-mars.txt »' });
      await versions.locator('tr[data-version="1"]').waitFor();
      expect(await versions.locator('tr[data-version="1"]').textContent()).toContain('actuelle');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      const second = Buffer.from('Ordre du jour révisé.\n', 'utf8');
      const [versionPicker] = await Promise.all([tab.waitForEvent('filechooser'), versions.getByRole('button', { name: 'Envoyer une nouvelle version' }).click()]);
      expect(versionPicker.isMultiple()).toBe(false);
      await versionPicker.setFiles({ name: 'ordre-du-jour-v2.txt', mimeType: 'text/plain', buffer: second });
      await versions.locator('tr[data-version="2"]').waitFor({ timeout: 20_000 });
      expect(await versions.locator('tr[data-version="2"]').textContent()).toContain('actuelle');
      expect(await versions.locator('.ws-files-queue-state').textContent()).toBe('Nouvelle version enregistrée');
      await versions.getByRole('button', { name: 'Restaurer la version 1' }).click();
      await versions.locator('tr[data-version="3"]').waitFor();
      expect(await versions.getByRole('status').textContent()).toBe('La version 1 de « compte-rendu-31-mars.txt » est redevenue la version actuelle.');
      expect(await versions.locator('tr[data-version="3"]').textContent()).toContain('actuelle');
      expect((await bytesOfDownload(tab, versions.getByRole('link', { name: 'Télécharger la version 3' }))).equals(original)).toBe(true);
      expect((await bytesOfDownload(tab, versions.getByRole('link', { name: 'Télécharger la version 2' }))).equals(second)).toBe(true);
      await tab.screenshot({ path: '/work/screens/files-versions.png', fullPage: true });
      await versions.getByRole('button', { name: 'Fermer' }).click();
      // The listing shows the file's three versions and the current bytes.
      await expect.poll(() => row(tab, 'compte-rendu-31-mars.txt').textContent()).toContain('3 versions');
      expect((await bytesOfDownload(tab, link)).equals(original)).toBe(true);

      // Trash, then restore from the files trash.
      await itemAction(tab, 'compte-rendu-31-mars.txt', 'Mettre à la corbeille « compte-rendu-31-mars.txt »');
      await expect.poll(() => status(tab).textContent()).toBe('« compte-rendu-31-mars.txt » mis à la corbeille.');
      await expect.poll(() => row(tab, 'compte-rendu-31-mars.txt').count()).toBe(0);
      await tab.getByRole('link', { name: 'Corbeille' }).click();
      await tab.getByRole('heading', { name: 'Corbeille des fichiers' }).waitFor();
      await tab.getByRole('button', { name: 'Restaurer « compte-rendu-31-mars.txt »' }).click();
      await expect.poll(() => status(tab).textContent()).toBe('« compte-rendu-31-mars.txt » restauré.');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.getByRole('link', { name: 'Retour aux fichiers' }).click();
      await tab.getByRole('link', { name: 'Comptes rendus' }).click();
      await row(tab, 'compte-rendu-31-mars.txt').waitFor();

      // Delete for good (an owner, from the trash, after confirming).
      await tab.getByRole('link', { name: 'Fichiers', exact: true }).first().click();
      await itemAction(tab, 'déposé.txt', 'Mettre à la corbeille « déposé.txt »');
      await expect.poll(() => row(tab, 'déposé.txt').count()).toBe(0);
      await tab.getByRole('link', { name: 'Corbeille' }).click();
      await tab.getByRole('button', { name: 'Supprimer définitivement « déposé.txt »' }).click();
      const confirm = tab.getByRole('dialog', { name: 'Supprimer définitivement « déposé.txt » ?' });
      await confirm.getByRole('button', { name: 'Supprimer définitivement' }).click();
      await expect.poll(() => status(tab).textContent()).toBe('« déposé.txt » supprimé définitivement.');
      await tab.getByText('La corbeille des fichiers est vide.').waitFor();
    } finally {
      await context.close();
    }
  });

  it('a reader browses and downloads, without any control to change files', async () => {
    const context = await suite.signedInContext(olivier, { language: 'fr-CA', locale: 'fr-CA' });
    try {
      const tab = await openFiles(context, suite.app.baseUrl, COOPERATION);
      await row(tab, 'photo-réunion.png').waitFor();
      await tab.getByText('Vous avez un accès en lecture', { exact: false }).waitFor();
      for (const name of ['Téléverser des fichiers', 'Ajouter des fichiers', 'Nouveau dossier', 'Actions pour « photo-réunion.png »', 'Renommer « photo-réunion.png »']) {
        expect(await tab.getByRole('button', { name }).count(), name).toBe(0);
      }
      expect(await tab.getByTestId('files-dropzone').count()).toBe(0);
      const link = tab.getByRole('link', { name: 'Télécharger « photo-réunion.png »' });
      expect((await bytesOfDownload(tab, link)).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      await tab.getByRole('button', { name: 'Versions de « photo-réunion.png »' }).click();
      const versions = tab.getByRole('dialog', { name: 'Versions de « photo-réunion.png »' });
      await versions.locator('tr[data-version="1"]').waitFor();
      expect(await versions.getByRole('button', { name: /Téléverser|Restaurer/ }).count()).toBe(0);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.screenshot({ path: '/work/screens/files-reader.png', fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('refuses before any byte what would not fit, and says the server’s refusals in the agent’s language', async () => {
    const context = await suite.signedInContext(olivier, { language: 'en', locale: 'en-CA' });
    try {
      const tab = await openFiles(context, suite.app.baseUrl, CLOUD);
      const requests = watchUploads(tab);
      expect(await tab.locator('.ws-files-quota').textContent()).toMatch(/Used: 0 bytes of 40\sMB/);

      // Over the space's quota: refused here, nothing sent, the quota named with what is free.
      await dropFiles(tab, [{ name: 'archive-2025.bin', type: 'application/octet-stream', size: SPACE_QUOTA + 2 * MiB }]);
      const refused = queueItem(tab, 'archive-2025.bin');
      await expect.poll(() => plain(refused.locator('.ws-files-queue-error'))).toBe(
        'Failed: “archive-2025.bin” (42 MB) does not fit in this space’s quota: 40 MB left of 40 MB. The upload did not start.',
      );
      await expect.poll(() => alert(tab).textContent()).toContain('does not fit in this space’s quota');
      expect(requests).toHaveLength(0);
      // It stays listed, with a retry (that checks again) and a way to remove it.
      await refused.getByRole('button', { name: 'Retry uploading “archive-2025.bin”' }).click();
      await expect.poll(() => refused.locator('.ws-files-queue-error').textContent()).toContain('does not fit');
      expect(requests).toHaveLength(0);

      // Larger than the largest file the server takes: the server refuses it (413), in English.
      await dropFiles(tab, [{ name: 'video.bin', type: 'application/octet-stream', size: MAX_FILE + 1 }]);
      await expect.poll(() => plain(queueItem(tab, 'video.bin').locator('.ws-files-queue-error')), { timeout: 10_000 }).toBe(
        'Failed: This file is larger than the maximum size accepted (12 MB).',
      );
      expect(requests.filter((r) => r.method() === 'POST')).toHaveLength(1);
      expect(requests[0]?.url()).toMatch(/\/api\/uploads$/);
      // Trying again would meet the same refusal: only removing it is offered.
      expect(await queueItem(tab, 'video.bin').getByRole('button', { name: /Retry/ }).count()).toBe(0);

      // The page's figures are stale: meanwhile 33 MiB were reserved by uploads started elsewhere
      // (another tab). The server refuses, and the page says which quota and what is left.
      const session = await suite.app.signIn(olivier);
      const reservations: URL[] = [];
      for (const n of [1, 2, 3]) {
        const reserved = await fetch(new URL('/api/uploads', suite.app.baseUrl), {
          method: 'POST',
          headers: {
            ...session.headers,
            'tus-resumable': '1.0.0',
            'upload-length': String(11 * MiB),
            'upload-metadata': `spaceId ${Buffer.from(CLOUD).toString('base64')},filename ${Buffer.from(`ailleurs-${n}.bin`).toString('base64')}`,
          },
        });
        expect(reserved.status).toBe(201);
        reservations.push(new URL(reserved.headers.get('location') ?? '', suite.app.baseUrl));
      }
      await dropFiles(tab, [{ name: 'rapport.bin', type: 'application/octet-stream', size: 10 * MiB }]);
      await expect.poll(() => plain(queueItem(tab, 'rapport.bin').locator('.ws-files-queue-error')), { timeout: 10_000 }).toBe(
        'Failed: Space quota exceeded: 7 MB left of 40 MB, the file needs 10 MB.',
      );
      for (const location of reservations) {
        expect((await fetch(location, { method: 'DELETE', headers: { ...session.headers, 'tus-resumable': '1.0.0' } })).status).toBe(204);
      }
      // Space freed: the retry goes through.
      await queueItem(tab, 'rapport.bin').getByRole('button', { name: 'Retry uploading “rapport.bin”' }).click();
      await expect.poll(() => plain(queueItem(tab, 'rapport.bin').locator('.ws-files-queue-state')), { timeout: 30_000 }).toBe('Done');

      // A name made to be markup is shown as text, never run.
      const trap = '<img src=x onerror=window.__pwned=1>.txt';
      await dropFiles(tab, [{ name: trap, type: 'text/plain', text: 'x' }]);
      await row(tab, trap).waitFor({ timeout: 20_000 });
      expect(await row(tab, trap).locator('.ws-files-file-name').textContent()).toBe(trap);
      expect(await tab.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

      // A name already taken (case aside) is refused once and said at once: the page used to retry
      // that refusal as if it were an offset conflict, four requests and ~4 s at « 0 % ».
      await dropFiles(tab, [{ name: 'compte-rendu.txt', type: 'text/plain', text: 'v1' }]);
      await row(tab, 'compte-rendu.txt').waitFor({ timeout: 20_000 });
      const posts = () => requests.filter((r) => r.method() === 'POST').length;
      const postsBefore = posts();
      await dropFiles(tab, [{ name: 'COMPTE-RENDU.TXT', type: 'text/plain', text: 'v2' }]);
      await expect.poll(() => plain(queueItem(tab, 'COMPTE-RENDU.TXT').locator('.ws-files-queue-error'))).toBe(
        // Said with the existing file's own name (case and all).
        'This folder already holds “compte-rendu.txt”. Upload this file as a new version of it, or keep both.',
      );
      expect(posts()).toBe(postsBefore + 1);
      // Nothing to retry as it is: the two ways on instead.
      expect(await queueItem(tab, 'COMPTE-RENDU.TXT').getByRole('button', { name: /Retry/ }).count()).toBe(0);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      // « Keep both »: it goes up beside it, numbered.
      await queueItem(tab, 'COMPTE-RENDU.TXT').getByRole('button', { name: 'Keep both (upload “COMPTE-RENDU.TXT” under a numbered name)' }).click();
      // The buttons went with the choice: the keyboard stays on the row.
      expect(await tab.evaluate(() => document.activeElement?.getAttribute('data-upload'))).toBe('COMPTE-RENDU.TXT');
      await row(tab, 'COMPTE-RENDU (2).TXT').waitFor({ timeout: 20_000 });
      // The same name once more, as a new version: the existing file gets a second version.
      await dropFiles(tab, [{ name: 'compte-rendu.txt', type: 'text/plain', text: 'v3' }]);
      const again = queueItem(tab, 'compte-rendu.txt').last();
      await again.getByRole('button', { name: 'Upload as a new version of “compte-rendu.txt”' }).click();
      await expect.poll(() => plain(again.locator('.ws-files-queue-state')), { timeout: 30_000 }).toBe('New version saved');
      // The listing is read again once the version is saved: the row shows it then.
      await expect.poll(() => row(tab, 'compte-rendu.txt').textContent()).toMatch(/2 versions/);
      expect(await tab.locator('.ws-files-table img:not(.ws-files-thumb)').count()).toBe(0);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.screenshot({ path: '/work/screens/files-quota.png', fullPage: true });
      await refused.getByRole('button', { name: 'Remove “archive-2025.bin” from the list' }).click();
      await expect.poll(() => refused.count()).toBe(0);

      // A folder address that is not one: said plainly, with the way back.
      const lost = await openPage(context, suite.app.baseUrl, `${filesUrl(CLOUD)}/not-a-folder`);
      await lost.getByText('This folder does not exist or was moved to the trash.').waitFor();
      await lost.getByRole('link', { name: 'Back to the top of the files' }).click();
      await lost.locator('.ws-files-table').waitFor();
    } finally {
      await context.close();
    }
  });

  it('an interrupted upload keeps its bytes: retried in the page, and resumed after a reload', async () => {
    const context = await suite.signedInContext(camille);
    try {
      const tab = await openFiles(context, suite.app.baseUrl, COOPERATION);
      const requests = watchUploads(tab);
      // The network fails for every chunk after the first one.
      const cut = (route: import('playwright-core').Route) =>
        route.request().method() === 'PATCH' && route.request().headers()['upload-offset'] !== '0' ? route.abort('connectionreset') : route.fallback();
      await tab.route('**/api/uploads/**', cut);

      const first = noise(9 * MiB, 7);
      let [chooser] = await Promise.all([tab.waitForEvent('filechooser'), tab.getByRole('button', { name: 'Ajouter des fichiers' }).click()]);
      await chooser.setFiles({ name: 'rapport-annuel.bin', mimeType: 'application/octet-stream', buffer: first });
      const item = queueItem(tab, 'rapport-annuel.bin');
      await expect.poll(() => plain(item.locator('.ws-files-queue-error')), { timeout: 30_000 }).toBe(
        'Échec : La connexion au serveur a été interrompue. Réessayez : l’envoi reprendra là où il s’était arrêté.',
      );
      await expect.poll(() => alert(tab).textContent()).toContain('L’envoi de « rapport-annuel.bin » a échoué');

      // Retry once the network is back: it goes on from the first chunk, not from zero.
      await tab.unroute('**/api/uploads/**', cut);
      const before = requests.length;
      await item.getByRole('button', { name: 'Réessayer l’envoi de « rapport-annuel.bin »' }).click();
      await expect.poll(() => item.locator('.ws-files-queue-state').textContent(), { timeout: 30_000 }).toBe('Terminé');
      const retried = requests.slice(before).filter((r) => r.method() !== 'GET');
      expect(retried.map((r) => r.method())).toEqual(['HEAD', 'PATCH']);
      expect(await retried[1]?.headerValue('upload-offset')).toBe(String(CHUNK));
      await row(tab, 'rapport-annuel.bin').waitFor();
      const href = (await tab.getByRole('link', { name: 'Télécharger « rapport-annuel.bin »' }).getAttribute('href')) ?? '';
      expect((await context.request.get(new URL(href, suite.app.baseUrl).href).then((r) => r.body())).equals(first)).toBe(true);

      // The same failure, then the page is reloaded: the upload is offered to be resumed.
      await tab.route('**/api/uploads/**', cut);
      const second = noise(9 * MiB, 11);
      [chooser] = await Promise.all([tab.waitForEvent('filechooser'), tab.getByRole('button', { name: 'Ajouter des fichiers' }).click()]);
      await chooser.setFiles({ name: 'photos-terrain.bin', mimeType: 'application/octet-stream', buffer: second });
      const broken = queueItem(tab, 'photos-terrain.bin');
      await broken.locator('.ws-files-queue-error').waitFor({ timeout: 30_000 });
      // Progress stopped at the chunk the server has: 8 of 9 MiB.
      expect(await plain(broken.locator('.ws-files-percent'))).toBe('88 %');
      await tab.unroute('**/api/uploads/**', cut);

      await tab.reload();
      const interrupted = tab.getByRole('region', { name: 'Envois interrompus' });
      await interrupted.waitFor();
      expect(await interrupted.textContent()).toMatch(/« photos-terrain\.bin » \(9\sMo\)88\s%/);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.screenshot({ path: '/work/screens/files-interrupted.png', fullPage: true });
      const afterReload = watchUploads(tab);
      [chooser] = await Promise.all([tab.waitForEvent('filechooser'), interrupted.getByRole('button', { name: 'Reprendre « photos-terrain.bin »' }).click()]);
      await chooser.setFiles({ name: 'photos-terrain.bin', mimeType: 'application/octet-stream', buffer: second });
      await expect.poll(() => queueItem(tab, 'photos-terrain.bin').locator('.ws-files-queue-state').textContent(), { timeout: 30_000 }).toBe('Terminé');
      const resumed = afterReload.filter((r) => ['POST', 'HEAD', 'PATCH'].includes(r.method()));
      expect(resumed.map((r) => r.method())).toEqual(['HEAD', 'PATCH']);
      expect(await resumed[1]?.headerValue('upload-offset')).toBe(String(CHUNK));
      await expect.poll(() => interrupted.count()).toBe(0);
      await row(tab, 'photos-terrain.bin').waitFor();
      const secondHref = (await tab.getByRole('link', { name: 'Télécharger « photos-terrain.bin »' }).getAttribute('href')) ?? '';
      expect((await context.request.get(new URL(secondHref, suite.app.baseUrl).href).then((r) => r.body())).equals(second)).toBe(true);
    } finally {
      await context.close();
    }
  });
});

// A real clamd with a local EICAR signature (server/test/support/clamd.ts): skipped where
// Debian's clamav-daemon is not installed, like the scanner's own tests.
(clamdAvailable() ? describeInBrowser : describe.skip)('Files scanned by clamd', () => {
  let clamd: TestClamd | undefined;
  // Filled before the server starts: this hook is declared before browserSuite's.
  const env: Record<string, string> = {};
  beforeAll(async () => {
    clamd = await startClamd();
    env.ENTENTE_CLAMD_SOCKET = clamd.socket;
  });
  afterAll(async () => {
    await clamd?.stop();
    await clamd?.cleanup();
  });
  const suite = browserSuite({ env });

  it('an infected upload is quarantined: the uploader is told the signature, and it cannot be downloaded', async () => {
    const context = await suite.signedInContext(camille);
    try {
      const tab = await openFiles(context, suite.app.baseUrl, COOPERATION);
      const [chooser] = await Promise.all([tab.waitForEvent('filechooser'), tab.getByRole('button', { name: 'Ajouter des fichiers' }).click()]);
      await chooser.setFiles([
        { name: 'facture.txt', mimeType: 'text/plain', buffer: EICAR },
        { name: 'propre.txt', mimeType: 'text/plain', buffer: Buffer.from('Rien à signaler.\n') },
      ]);
      const infected = queueItem(tab, 'facture.txt');
      await expect.poll(() => plain(infected.locator('.ws-files-queue-error')), { timeout: 20_000 }).toBe(`Fichier mis en quarantaine : menace détectée (${EICAR_SIGNATURE})`);
      await expect.poll(() => plain(queueItem(tab, 'propre.txt').locator('.ws-files-queue-state')), { timeout: 20_000 }).toBe('Terminé');
      await expect.poll(() => plain(alert(tab))).toContain(`« facture.txt » a été mis en quarantaine : menace détectée (${EICAR_SIGNATURE}).`);

      // Listed as quarantined, with no download; the clean one is not « unscanned » any more.
      await row(tab, 'facture.txt').waitFor();
      expect(await row(tab, 'facture.txt').textContent()).toContain('En quarantaine');
      expect(await tab.getByRole('link', { name: 'Télécharger « facture.txt »' }).count()).toBe(0);
      expect(await row(tab, 'propre.txt').textContent()).not.toContain('Non analysé');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.screenshot({ path: '/work/screens/files-quarantine.png', fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('with the scanner down, an upload fails closed: said in words, kept in the queue to retry', async () => {
    const context = await suite.signedInContext(camille);
    try {
      const tab = await openFiles(context, suite.app.baseUrl, COOPERATION);
      await clamd?.stop();
      const [chooser] = await Promise.all([tab.waitForEvent('filechooser'), tab.getByRole('button', { name: 'Ajouter des fichiers' }).click()]);
      await chooser.setFiles({ name: 'budget.txt', mimeType: 'text/plain', buffer: Buffer.from('Budget 2027.\n') });
      const item = queueItem(tab, 'budget.txt');
      await expect.poll(() => plain(item.locator('.ws-files-queue-error')), { timeout: 20_000 }).toBe(
        'Échec : L’analyse antivirus est momentanément indisponible : le fichier n’a pas été enregistré. Réessayez dans quelques minutes.',
      );
      await item.getByRole('button', { name: 'Réessayer l’envoi de « budget.txt »' }).waitFor();
      expect(await row(tab, 'budget.txt').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
